package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/verdict"
)

// TestPlatformsAndEndOfLife: an advisory limited to Windows says so on its
// page and in search-index.json, and an end-of-life branch it leaves
// unfixed is told that no fix will come, with the nearest release of a
// maintained branch that fixes it (check.MaintainedFix, as `advisory
// check` names it).
func TestPlatformsAndEndOfLife(t *testing.T) {
	data, err := os.ReadFile("testdata/PSF-0000-cve-2025-8194.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, diags := advisory.Parse("PSF-0000-cve-2025-8194.yaml", "python", data)
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	a.Platforms = []string{"windows"}
	a.Branches = append(a.Branches, advisory.Branch{Branch: "3.8", FirstAffected: "0", Status: lock.FactUnfixed})
	cfg := fixtureConfig()
	p := cfg["python"]
	p.Branches = map[string]string{"main": "feature", "3.14": "prerelease", "3.13": "bugfix", "3.12": "security", "3.11": "security",
		"3.10": "end-of-life", "3.9": "end-of-life", "3.8": "end-of-life"}
	sum := verdict.Of(a, nil)
	rec := &osv.Record{Advisory: a, Product: p, Summary: sum, Vuln: osv.Convert(a, p, sum, a.Published)}
	dir := buildSite(t, []*osv.Record{rec}, cfg)
	page := readFile(t, filepath.Join(dir, "advisory", a.ID+".html"))
	for _, w := range []string{
		"<dt>Platforms</dt><dd>Windows only</dd>",
		"No fix will come (end-of-life)",
		"Branch 3.8 is end-of-life: no fix will come to it. The nearest release of a maintained branch that fixes this is 3.11.14.",
	} {
		if !strings.Contains(page, w) {
			t.Errorf("advisory page lacks %q", w)
		}
	}
	idx := readFile(t, filepath.Join(dir, "search-index.json"))
	for _, w := range []string{`"platforms":"Windows only"`, `"upgrade_to":"3.11.14"`, `"end_of_life":["3.10","3.8","3.9"]`} {
		if !strings.Contains(idx, w) {
			t.Errorf("search-index.json lacks %s", w)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
