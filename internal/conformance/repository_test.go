package conformance

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/osv-scalibr/extractor"
	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

// moduleRoot is the repository checkout holding advisories/.
func moduleRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// TestRepositoryBuild builds the repository's own advisories and checks the
// output with the consumers' code: every record decodes strictly, every
// CPython record carries the GIT range osv.dev needs, and every listed
// version is matched by osv-scalibr, both in memory and from the output
// directory as an offline database.
func TestRepositoryBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the repository's database")
	}
	_, _ = checkBuild(t, moduleRoot(t))
}

// TestGeneratedBuild runs the real build over a generated database whose
// locks list affected tags, so the matcher checks run on converted records.
func TestGeneratedBuild(t *testing.T) {
	cfg, err := os.ReadFile(filepath.Join(moduleRoot(t), "advisories", "products.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "db")
	if err := bundletest.WriteDatabase(root, 30, cfg); err != nil {
		t.Fatal(err)
	}
	all, n := checkBuild(t, root)
	if n < 30 {
		t.Fatalf("only %d listed versions were matched", n)
	}
	if both := withBothCVSS(all); both == 0 {
		t.Errorf("no record carries both a CVSS_V3 and a CVSS_V4 severity; the generated database has them")
	}
	// The generated locks say 3.12 and 3.13 are fixed in v3.12.6 and v3.13.6,
	// pip in 23.3: no record may match those.
	for _, pkg := range []*extractor.Package{cpythonPkg("v3.12.6"), cpythonPkg("v3.13.6"), pipPkg("23.3")} {
		if got := matchedIDs(all, pkg); len(got) != 0 {
			t.Errorf("%s@%s (fixed) matched %v", pkg.Name, pkg.Version, got)
		}
	}
}

// withBothCVSS counts the records whose severity holds a CVSS 3 and a CVSS
// 4.0 vector, as decoded by the OSV protobuf.
func withBothCVSS(all []*osvpb.Vulnerability) int {
	n := 0
	for _, v := range all {
		var types []string
		for _, s := range v.GetSeverity() {
			types = append(types, s.GetType().String())
		}
		if slices.Contains(types, "CVSS_V3") && slices.Contains(types, "CVSS_V4") {
			n++
		}
	}
	return n
}

// checkBuild builds the database at root and checks the output; it returns
// how many (record, listed version) pairs were matched.
func checkBuild(t *testing.T, root string) ([]*osvpb.Vulnerability, int) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	var recs []*osv.Record // every record, as the build hands it over once written
	res, err := build.Run(build.Options{Root: root, Out: out, Now: time.Now().UTC(), Record: func(r *osv.Record) error {
		recs = append(recs, r)
		return nil
	}})
	if err != nil {
		t.Fatalf("advisory build of %s: %v", root, err)
	}
	if res.Count != len(recs) {
		t.Fatalf("%s: the build counts %d records but handed over %d", root, res.Count, len(recs))
	}
	if len(recs) == 0 {
		t.Fatalf("%s built no records", root)
	}
	outRoot, err := os.OpenRoot(out)
	if err != nil {
		t.Fatal(err)
	}
	defer outRoot.Close()
	if err := bundle.VerifySums(outRoot); err != nil {
		t.Fatal(err)
	}
	checkImportTree(t, out, len(recs))
	all := make([]*osvpb.Vulnerability, len(recs))
	for i, r := range recs {
		onDisk, err := os.ReadFile(filepath.Join(out, "advisories", r.Product.Name, r.Vuln.ID+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(onDisk, r.JSON) {
			t.Errorf("%s: the file on disk is not the record's validated JSON", r.Vuln.ID)
		}
		all[i] = decode(t, r.Vuln.ID, onDisk)
	}
	var pkgs []*extractor.Package
	var want []string
	for i, r := range recs {
		v := all[i]
		for _, a := range v.GetAffected() {
			if r.Product.Package == nil && len(a.GetRanges()) == 0 {
				// Release facts with no commit at all: versions and no GIT range
				// (one from "0" with no fix would claim every tag). The offline
				// matcher keys CPython records on a GIT range's repository, so
				// it cannot match these (docs/osv-schema.md says so).
				if a.GetPackage() != nil || hasCommitData(r) {
					t.Errorf("%s: an affected entry without a GIT range must be a CPython record with no commit data", r.Vuln.ID)
				}
				continue
			}
			if r.Product.Package == nil {
				if a.GetPackage() != nil || len(a.GetRanges()) != 1 || a.GetRanges()[0].GetRepo() != bundletest.CPythonRepo {
					t.Errorf("%s: a CPython affected entry must have no package and one GIT range on %s", r.Vuln.ID, bundletest.CPythonRepo)
				}
			}
			for _, ver := range a.GetVersions() {
				pkg := pipPkg(ver)
				if r.Product.Package == nil {
					pkg = cpythonPkg(ver)
				}
				if v.GetWithdrawn() == nil {
					if got := matchedIDs(all, pkg); !slices.Contains(got, r.Vuln.ID) {
						t.Errorf("%s: osvlocal does not match listed version %s (matched %v)", r.Vuln.ID, ver, got)
					}
					pkgs = append(pkgs, pkg)
					want = append(want, r.Vuln.ID)
				}
			}
		}
	}
	if len(pkgs) == 0 {
		t.Log("no built record lists affected versions (no resolution lock): matching not exercised on this database")
		return all, 0
	}
	got := offlineScan(t, out, pkgs)
	for i := range pkgs {
		if !slices.Contains(got[i], want[i]) {
			t.Errorf("offline database over the build output: %s@%s matched %v, want %s", pkgs[i].Name, pkgs[i].Version, got[i], want[i])
		}
	}
	return all, len(pkgs)
}

// checkImportTree checks what osv.dev's GIT import of the published tree
// sees (directory advisories, extension .json): exactly one file per record,
// each a record that decodes strictly and whose id is its file name.
func checkImportTree(t *testing.T, out string, records int) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(out, "advisories"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		v := decode(t, p, b)
		if v.GetId()+".json" != filepath.Base(p) {
			t.Errorf("%s holds id %q: osv.dev would import it under the wrong name", p, v.GetId())
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != records {
		t.Errorf("osv.dev would import %d .json files from advisories/, want one per record (%d)", n, records)
	}
}

// hasCommitData reports whether the record's advisory names a commit.
func hasCommitData(r *osv.Record) bool {
	if r.Advisory.Introduced != "0" {
		return true
	}
	for _, b := range r.Advisory.Branches {
		if b.HasCommit() {
			return true
		}
	}
	return r.Resolution != nil && len(r.Resolution.Fixed) > 0
}
