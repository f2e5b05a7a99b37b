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

// BenchmarkScale builds SITE_SCALE generated advisories (1,000 unless set)
// and reports, besides the time, the sizes of the index page, the JSON
// index and the feed, plain and gzipped (what a compressing server sends):
// SITE_SCALE=10000 go test ./internal/site -run '^$' -bench Scale -benchtime 1x
func BenchmarkScale(b *testing.B) {
	n := scaleFromEnv(b, 1000)
	cfg := fixtureConfig()
	recs := generateRecords(cfg, n)
	var dir string
	for b.Loop() {
		dir = b.TempDir()
		root, err := os.OpenRoot(dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := Write(root, recs, cfg); err != nil {
			b.Fatal(err)
		}
		root.Close()
	}
	for _, f := range []struct{ name, unit string }{{IndexPage, "index"}, {SearchIndex, "search"}, {FeedFile, "feed"}} {
		plain, zipped := sizes(b, dir+"/"+f.name)
		b.ReportMetric(float64(plain), f.unit+"-bytes")
		b.ReportMetric(float64(zipped), f.unit+"-gzip-bytes")
	}
}

// sizes returns a file's size and its gzipped size.
func sizes(tb testing.TB, path string) (plain, zipped int) {
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return len(data), buf.Len()
}

// scaleFromEnv is $SITE_SCALE, or def when it is not set.
func scaleFromEnv(tb testing.TB, def int) int {
	tb.Helper()
	s := os.Getenv("SITE_SCALE")
	if s == "" {
		return def
	}
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil || n <= 0 {
		tb.Fatalf("SITE_SCALE=%q: want a positive number", s)
	}
	return n
}
