package osvimport

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/testenv"
)

// TestImportPYSEC imports pip's 7 shared PYSEC records (YAML) for the pip
// product, then builds them (after setting the PSRT severity lint requires
// of a new advisory) and compares each built record with its original: the
// ECOSYSTEM range comes back from the authored release facts, the GIT events
// are kept as commits, the CVSS vector as the CVSS_V3 severity, and the
// PYSEC ID becomes an alias of a placeholder ID.
func TestImportPYSEC(t *testing.T) {
	from := testenv.Shared(t, "osv", "records", "pip-pysec")
	root := scratchDB(t)
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	written, err := runLinted(Options{From: from, Root: root, Product: "pip"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 7 {
		t.Fatalf("imported %d records, want 7", len(written))
	}
	origs := map[string]*osv.Vulnerability{}
	for _, path := range written {
		a := setSeverity(t, path)
		pysec := strings.ToUpper(strings.TrimPrefix(a.ID, "PSF-0000-"))
		origs[a.ID] = readYAMLRecord(t, filepath.Join(from, pysec+".yaml"))
		checkSource(t, origs[a.ID], a)
	}
	recs, _, err := build.Records(root, time.Now())
	if err != nil {
		t.Fatalf("imported sources do not lint and build: %v", err)
	}
	for _, rec := range recs {
		orig, got := origs[rec.Vuln.ID], rec.Vuln
		want := append(slices.Clone(orig.Aliases), orig.ID)
		checks := []struct {
			field     string
			got, want any
		}{
			{"aliases", got.Aliases, want},
			{"details", got.Details, orig.Details},
			{"references", got.References, orig.References},
			{"severity", got.Severity, orig.Severity},
			{"package", got.Affected[0].Package, orig.Affected[0].Package},
			{"ECOSYSTEM events", rangeEvents(got, "ECOSYSTEM"), rangeEvents(orig, "ECOSYSTEM")},
			{"GIT events", rangeEvents(got, "GIT"), rangeEvents(orig, "GIT")}, // no GIT range without a commit
			{"published", got.Published, orig.Published},
		}
		for _, c := range checks {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("%s %s: got %#v, want %#v", orig.ID, c.field, c.got, c.want)
			}
		}
	}
}

// checkSource: the source keeps the record's CVSS vector, every ECOSYSTEM
// bound as release facts on pip's main branch, every GIT commit, and notes
// what it could not keep.
func checkSource(t *testing.T, orig *osv.Vulnerability, a *advisory.Advisory) {
	t.Helper()
	for _, s := range orig.Severity {
		if s.Score != a.CVSSV3 {
			t.Errorf("%s: CVSS %s not kept (cvss_v3 %q)", orig.ID, s.Score, a.CVSSV3)
		}
	}
	for _, r := range orig.Affected[0].Ranges {
		for i, e := range r.Events {
			ok := true
			switch {
			case r.Type == "GIT" && e.Fixed != "":
				ok = slices.ContainsFunc(a.Branches, func(b advisory.Branch) bool { return b.Fixed == e.Fixed })
			case r.Type == "ECOSYSTEM" && e.Introduced != "":
				ok = slices.ContainsFunc(a.Branches, func(b advisory.Branch) bool {
					return b.Branch == "main" && b.FirstAffected == e.Introduced && b.FixedIn == r.Events[i+1].Fixed
				})
			}
			if !ok {
				t.Errorf("%s: %s event %+v not kept: %+v", orig.ID, r.Type, e, a.Branches)
			}
		}
	}
	if len(orig.Affected[0].Versions) > 0 && !strings.Contains(a.Notes, "listed versions are not kept") {
		t.Errorf("%s: the dropped versions list is not in the notes:\n%s", orig.ID, a.Notes)
	}
}

func setSeverity(t *testing.T, path string) *advisory.Advisory {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, ds := advisory.Parse(path, "pip", data)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	if a.Severity == "" {
		a.Severity = "medium"
	}
	if data, err = advisory.Marshal(a); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return a
}

func readYAMLRecord(t *testing.T, path string) *osv.Vulnerability {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := decodeRecord(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func rangeEvents(v *osv.Vulnerability, typ string) []osv.Event {
	for _, r := range v.Affected[0].Ranges {
		if r.Type == typ {
			return r.Events
		}
	}
	return nil
}

// TestImportPYSECTaken: a record whose aliases the database already holds
// (pip's PSF-2023-13 is CVE-2023-5752, PYSEC-2023-228) is refused, and
// nothing is written.
func TestImportPYSECTaken(t *testing.T) {
	from := testenv.Shared(t, "osv", "records", "pip-pysec")
	root := scratchDB(t)
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../advisories/pip/PSF-2023-13.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := advisory.Dir(root, "pip")
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "PSF-2023-13.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = runLinted(Options{From: from, Root: root, Product: "pip"}, cfg)
	if err == nil || !strings.Contains(err.Error(), "CVE-2023-5752 is already PSF-2023-13's") {
		t.Fatalf("import over PSF-2023-13: %v", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.yaml")); len(files) != 1 {
		t.Fatalf("a refused import wrote %v", files)
	}
}
