package site

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// pyBranches are CPython branches and their number of micro releases, for
// generated advisories.
var pyBranches = []struct {
	name   string
	micros int
}{{"3.14", 2}, {"3.13", 9}, {"3.12", 12}, {"3.11", 14}, {"3.10", 19}, {"3.9", 25}, {"3.8", 20}}

// generateRecords makes n advisories shaped like real ones: a Markdown
// description of about 1 KB, two components, three references, and a
// resolution over four to seven branches with 40 to 100 affected releases.
func generateRecords(cfg product.Config, n int) []*osv.Record {
	recs := make([]*osv.Record, 0, n)
	desc := strings.Repeat("A crafted input to `module.function()` makes the parser spend quadratic time. ", 8) +
		"\n\nSee [the issue](https://github.com/python/cpython/issues/1) for details.\n\n- upgrade\n- or validate input\n"
	for i := range n {
		year := 2000 + i%26
		id := fmt.Sprintf("PSF-%d-%d", year, i+1)
		sev := advisory.Severities[i%4]
		a := &advisory.Advisory{
			ID: id, Product: "python", Aliases: []string{fmt.Sprintf("CVE-%d-%d", year, 10000+i)},
			Published: fmt.Sprintf("%d-%02d-%02dT12:00:00Z", year, 1+i%12, 1+i%28),
			Title:     fmt.Sprintf("Generated advisory %d: denial of service in module%d", i, i%50),
			Severity:  sev, CVSS: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N",
			CWEs:        []string{"CWE-400"},
			Components:  []string{fmt.Sprintf("module%d", i%50), fmt.Sprintf("module%d.Parser.feed", i%50)},
			Description: desc, Mitigations: "Validate input before parsing it.", Introduced: "0",
			Credits: []advisory.Credit{{Name: "A Finder", Type: "FINDER"}},
			References: []advisory.Reference{
				{Type: "REPORT", URL: fmt.Sprintf("https://github.com/python/cpython/issues/%d", 100000+i)},
				{Type: "FIX", URL: fmt.Sprintf("https://github.com/python/cpython/pull/%d", 100001+i)},
				{Type: "ADVISORY", URL: "https://mail.python.org/archives/list/security-announce@python.org/"},
			},
		}
		res := &lock.Entry{}
		nb := 4 + i%4
		for bi, b := range pyBranches[:min(nb, len(pyBranches))] {
			last := (b.micros*(1+(i+bi)%3))/4 + 1
			if last > b.micros {
				last = b.micros
			}
			vs := pyVersions(b.name, 0, last-1)
			res.Versions = append(res.Versions, vs...)
			br := lock.BranchResult{Branch: b.name, Status: "fixed", FirstAffected: vs[0], LastAffected: vs[len(vs)-1],
				FixedIn: fmt.Sprintf("v%s.%d", b.name, last), FixCommit: sha("0123456789abcdef"[(i+bi)%16])}
			if bi == 3 && i%10 == 0 {
				br.Status, br.FixedIn, br.FixCommit = "unfixed", "", ""
			}
			res.Branches = append(res.Branches, br)
		}
		recs = append(recs, record(cfg, a, res, a.Published))
	}
	return recs
}

func writeGenerated(tb testing.TB, n int) (string, time.Duration) {
	tb.Helper()
	return writeGeneratedOptions(tb, n, Options{})
}

func writeGeneratedOptions(tb testing.TB, n int, opts Options) (string, time.Duration) {
	tb.Helper()
	cfg := fixtureConfig()
	recs := generateRecords(cfg, n)
	dir := tb.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer root.Close()
	start := time.Now()
	if err := WriteOptions(root, recs, cfg, opts); err != nil {
		tb.Fatal(err)
	}
	return dir, time.Since(start)
}

// BenchmarkWrite10000 measures the whole site build for 10,000 advisories:
// go test ./internal/site -run '^$' -bench Write10000 -benchtime 3x
func BenchmarkWrite10000(b *testing.B) {
	cfg := fixtureConfig()
	recs := generateRecords(cfg, 10000)
	for b.Loop() {
		root, err := os.OpenRoot(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		if err := Write(root, recs, cfg); err != nil {
			b.Fatal(err)
		}
		root.Close()
	}
}

// BenchmarkMarkdown measures one description's rendering.
func BenchmarkMarkdown(b *testing.B) {
	src := generateRecords(fixtureConfig(), 1)[0].Advisory.Description
	for b.Loop() {
		renderMarkdown(src)
	}
}

// TestScale builds SITE_SCALE generated advisories (skipped unless set) and
// reports the build time and the sizes of the index page and JSON index:
// SITE_SCALE=10000 go test ./internal/site -run TestScale -v
func TestScale(t *testing.T) {
	n := scaleFromEnv(t)
	dir, d := writeGenerated(t, n)
	t.Logf("built %d advisories in %v", n, d)
	for _, name := range []string{IndexPage, SearchIndex, FeedFile, AdvisoryDir + "/PSF-2000-1.html"} {
		st, err := os.Stat(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes", name, st.Size())
	}
}

func scaleFromEnv(t *testing.T) int {
	t.Helper()
	s := os.Getenv("SITE_SCALE")
	if s == "" {
		t.Skip("set SITE_SCALE=10000 to build and measure a generated database")
	}
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil || n <= 0 {
		t.Fatalf("SITE_SCALE=%q: want a positive number", s)
	}
	return n
}

// TestScaleCompressed reports the gzip sizes of the index page and JSON index
// at SITE_SCALE (what a server that compresses sends).
func TestScaleCompressed(t *testing.T) {
	n := scaleFromEnv(t)
	dir, _ := writeGenerated(t, n)
	for _, name := range []string{IndexPage, SearchIndex} {
		data, err := os.ReadFile(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		t.Logf("%s: %d bytes, %d gzipped", name, len(data), buf.Len())
	}
}
