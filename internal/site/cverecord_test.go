package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/verdict"
)

// TestCVERecordPage renders the advisory `advisory new --cve-record`
// writes for CVE-2025-8194 (testdata/PSF-0000-cve-2025-8194.yaml, unchanged
// scaffold: its fix commits are on no branch yet, so they live only in the
// record's GIT range) and checks that the page shows every fact the record
// has: the CVSS score and rating, the CWE name, every fix commit and the
// fix's pull request, linked.
func TestCVERecordPage(t *testing.T) {
	data, err := os.ReadFile("testdata/PSF-0000-cve-2025-8194.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, diags := advisory.Parse("PSF-0000-cve-2025-8194.yaml", "python", data)
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	cfg := fixtureConfig()
	p := cfg["python"]
	sum := verdict.Of(a, nil)
	rec := &osv.Record{Advisory: a, Product: p, Summary: sum, Vuln: osv.Convert(a, p, sum, a.Published)}
	dir := buildSite(t, []*osv.Record{rec}, cfg)
	page, err := os.ReadFile(filepath.Join(dir, "advisory", a.ID+".html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	want := []string{
		"<dt>CVSS 3.1</dt><dd><strong>7.5</strong> High",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
		`CWE-835</a> Loop with Unreachable Exit Condition (&#39;Infinite Loop&#39;)`,
		`<a href="https://github.com/python/cpython/pull/137027" rel="noopener noreferrer">#137027</a>`,
	}
	for _, b := range a.Branches {
		if b.Fixed != "" {
			want = append(want, `<a href="https://github.com/python/cpython/commit/`+b.Fixed+`" rel="noopener noreferrer"><code>`+b.Fixed[:12]+`</code></a>`)
		}
	}
	if len(want) != 4+7 {
		t.Fatalf("the fixture has %d fix commits, want 7", len(want)-4)
	}
	for _, w := range want {
		if !strings.Contains(html, w) {
			t.Errorf("the page of a --cve-record advisory lacks %s", w)
		}
	}
}
