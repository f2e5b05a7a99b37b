package conformance

import (
	"slices"
	"testing"

	"github.com/google/osv-scalibr/enricher/vulnmatch/osvlocal"
	"github.com/google/osv-scalibr/extractor"
	"github.com/google/osv-scalibr/purl"
	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

// decode unmarshals a record the way osv-scanner's offline loader does, but
// with unknown fields an error instead of a silent drop.
func decode(t *testing.T, name string, b []byte) *osvpb.Vulnerability {
	t.Helper()
	v := &osvpb.Vulnerability{}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(b, v); err != nil {
		t.Fatalf("%s: the OSV protobuf rejects the record (osv-scanner would drop it): %v", name, err)
	}
	return v
}

func decodeAll(t *testing.T, recs []*osv.Record) []*osvpb.Vulnerability {
	t.Helper()
	out := make([]*osvpb.Vulnerability, len(recs))
	for i, r := range recs {
		out[i] = decode(t, r.Vuln.ID, r.JSON)
	}
	return out
}

// cpythonPkg is a CPython checkout as scanners describe it: the repository
// URL as name, GIT ecosystem (from the source code identifier), the release
// tag as version.
func cpythonPkg(tag string) *extractor.Package {
	return &extractor.Package{
		Name:       bundletest.CPythonRepo,
		Version:    tag,
		SourceCode: &extractor.SourceCodeIdentifier{Repo: bundletest.CPythonRepo},
	}
}

func pipPkg(version string) *extractor.Package {
	return &extractor.Package{Name: "pip", Version: version, PURLType: purl.TypePyPi}
}

func matchedIDs(vulns []*osvpb.Vulnerability, pkg *extractor.Package) []string {
	var ids []string
	for _, v := range osvlocal.VulnerabilitiesAffectingPackage(vulns, pkg) {
		ids = append(ids, v.GetId())
	}
	slices.Sort(ids)
	return ids
}

func TestMatcher(t *testing.T) {
	recs := []*osv.Record{
		bundletest.CPython(bundletest.Spec{ID: "PSF-2024-1", Versions: []string{"v3.12.0", "v3.12.1", "v3.12.2", "v3.12.3", "v3.13.0rc1"}}),
		bundletest.CPython(bundletest.Spec{ID: "PSF-2024-2", Versions: []string{"v3.11.9"}}),
		bundletest.CPython(bundletest.Spec{ID: "PSF-2024-3", Versions: []string{"v3.12.1"}, Withdrawn: "2024-06-01T00:00:00Z"}),
		bundletest.PipRecord(bundletest.Spec{ID: "PSF-2024-4", Versions: []string{"23.0", "23.1", "23.2"}, Fixed: []string{"23.3"}}),
	}
	vulns := decodeAll(t, recs)
	for _, tc := range []struct {
		name string
		pkg  *extractor.Package
		want []string
	}{
		{"listed tag", cpythonPkg("v3.12.1"), []string{"PSF-2024-1"}},
		{"listed pre-release tag", cpythonPkg("v3.13.0rc1"), []string{"PSF-2024-1"}},
		{"listed tag without v", cpythonPkg("3.12.3"), []string{"PSF-2024-1"}},
		{"fixed tag", cpythonPkg("v3.12.4"), nil},
		{"other branch", cpythonPkg("v3.11.9"), []string{"PSF-2024-2"}},
		{"repository URL with .git", &extractor.Package{Name: bundletest.CPythonRepo + ".git", Version: "v3.12.0",
			SourceCode: &extractor.SourceCodeIdentifier{Repo: bundletest.CPythonRepo + ".git"}}, []string{"PSF-2024-1"}},
		{"no tag", cpythonPkg(""), nil},
		{"pip affected version", pipPkg("23.1"), []string{"PSF-2024-4"}},
		{"pip version in range not listed", pipPkg("22.0.4"), []string{"PSF-2024-4"}},
		{"pip fixed version", pipPkg("23.3"), nil},
		{"pip later version", pipPkg("24.0"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := matchedIDs(vulns, tc.pkg)
			if !slices.Equal(got, tc.want) {
				t.Errorf("osvlocal matched %v, want %v", got, tc.want)
			}
		})
	}
}

// TestUnknownFieldIsCaught shows why decode is strict: osv-scanner silently
// drops a record with a field the protobuf does not know.
func TestUnknownFieldIsCaught(t *testing.T) {
	b := []byte(`{"schema_version":"1.7.5","id":"PSF-2024-9","modified":"2024-01-01T00:00:00Z","affected":[{"versionz":["v3.12.0"]}]}`)
	err := (protojson.UnmarshalOptions{}).Unmarshal(b, &osvpb.Vulnerability{})
	if err == nil {
		t.Fatal("an unknown field was accepted: the strict decode would not catch a dropped record")
	}
}
