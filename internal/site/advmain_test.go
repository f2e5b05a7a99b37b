package site

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"testing"
)

// fuzzView builds an advisory view from three strings and a bit mask:
// every field the page shows takes one of the strings (or a URL made of
// one), and each bit of mask turns on an optional part or picks a count,
// so that every branch of the template is reached.
func fuzzView(a, b, c string, mask uint64) *advView {
	bit := func(i int) bool { return mask&(1<<i) != 0 }
	n := func(i int) int { return int(mask>>i) & 3 } // 0-3 items
	pick := func(i int) string { return [...]string{a, b, c, ""}[n(i)] }
	v := &advView{
		ID: a, Title: b, Severity: pick(2), SeverityLabel: c, ProductTitle: a,
		Published: b, PublishedDate: c, Modified: a, ModifiedDate: b,
		Description: template.HTML(c), Source: pick(4), Known: bit(6),
		JSONHref: b, OSVURL: "https://osv.dev/vulnerability/" + a,
		Platforms: pick(7), UpgradeTo: pick(9),
	}
	if bit(11) {
		v.Severity = "unknown"
	}
	if bit(12) {
		v.Source = "computed"
	}
	if bit(13) {
		v.Withdrawn, v.WithdrawnDate = c, a
	}
	if bit(14) {
		v.Mitigations = template.HTML(a)
	}
	for range n(15) {
		v.CVEs = append(v.CVEs, b)
		v.Aliases = append(v.Aliases, aliasView{ID: a, URL: pick(17)})
		v.CWEs = append(v.CWEs, cweView{ID: c, Name: pick(19), URL: pick(21)})
		v.CVSS = append(v.CVSS, cvssView{Version: pick(23), Vector: a, Score: pick(25), Rating: b})
	}
	for range n(27) {
		v.Components = append(v.Components, c)
		v.EndOfLife = append(v.EndOfLife, a)
		v.Credits = append(v.Credits, creditView{Name: b, Type: pick(29)})
	}
	for range n(31) {
		v.Fixes = append(v.Fixes, commitView{Branch: pick(33), Short: a, URL: pick(35), PR: linkView{Label: pick(37), URL: pick(39)}})
	}
	for range n(41) {
		v.PullRequests = append(v.PullRequests, linkView{Label: c, URL: pick(43)})
		v.Versions = append(v.Versions, b)
	}
	for range n(45) {
		v.Branches = append(v.Branches, branchView{Branch: a, Status: b, First: c})
		v.References = append(v.References, refView{Type: a, URL: pick(47), Safe: bit(49)})
	}
	v.BranchRows, v.ReferenceItems = branchRows(v.Branches), referenceItems(v.References)
	v.VersionItems = template.HTML(a)
	return v
}

type advisoryMainSeed struct {
	a, b, c string
	mask    uint64
}

// advisoryMainSeeds are the fuzz target's seeds: hostile strings with
// several masks each.
func advisoryMainSeeds() []advisoryMainSeed {
	var seeds []advisoryMainSeed
	for i, s := range pathological() {
		for _, mask := range []uint64{0xffffffffffffffff >> uint(i%8), 0x5555555555555555, 0xaaaaaaaaaaaaaaaa, 0, 1 << 6, 1<<6 | 1<<12 | 1<<27 | 1<<41 | 1<<31} {
			seeds = append(seeds, advisoryMainSeed{s, "https://github.com/python/cpython/pull/1", "javascript:alert(1)", mask})
		}
	}
	return append(seeds,
		advisoryMainSeed{"PSF-2024-1", "a <b> & 'c' + \"d\"", "\x00 \u2028", 0x5555555555555555},
		advisoryMainSeed{"1", "mailto:x@y", "%zz%41 ü", 0xaaaaaaaaaaaaaaaa})
}

// FuzzAdvisoryMainAsTemplate: for any values, the advisory page's main
// written in Go is what the template writes.
//
//	go test ./internal/site -run '^$' -fuzz FuzzAdvisoryMainAsTemplate -fuzztime 60s
func FuzzAdvisoryMainAsTemplate(f *testing.F) {
	for _, s := range advisoryMainSeeds() {
		f.Add(s.a, s.b, s.c, s.mask)
	}
	tpl, err := loadTemplates()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, a, b, c string, mask uint64) {
		v := fuzzView(a, b, c, mask)
		var got, want bytes.Buffer
		writeAdvisoryMain(&got, v)
		if err := tpl.advisory.t.ExecuteTemplate(&want, "main", pageData{Page: v}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("the Go main differs from the template's:\n%s\n---\n%s", got.Bytes(), want.Bytes())
		}
	})
}

// TestAdvisoryMainReachesEveryPart: the fuzz seeds' views turn on every
// optional part of the page at least once and off at least once, so the
// seed corpus alone (run by go test) compares every branch.
func TestAdvisoryMainReachesEveryPart(t *testing.T) {
	parts := []string{`class="badge badge-withdrawn"`, "Not rated yet", "invalid vector", "<dt>Platforms</dt>",
		"<dt>Aliases</dt>", "<dt>Weakness</dt>", "component-list", "No release branch is affected.", "<table class=\"branches\">",
		`class="eol"`, "The nearest release", "No maintained branch", "version-list", "source-unknown", "Computed from the",
		"As stated in the advisory", "fix-list", "<p>Pull request", "<p>Pull requests", "mit-h", "ref-h", "cred-h", "pull request "}
	seen := map[string][2]bool{}
	for _, s := range advisoryMainSeeds() {
		var b bytes.Buffer
		writeAdvisoryMain(&b, fuzzView(s.a, s.b, s.c, s.mask))
		for _, p := range parts {
			e := seen[p]
			e[boolIndex(bytes.Contains(b.Bytes(), []byte(p)))] = true
			seen[p] = e
		}
	}
	for _, p := range parts {
		if e := seen[p]; !e[0] || !e[1] {
			t.Errorf("%q: present in some view %v, absent in some %v", p, e[1], e[0])
		}
	}
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestAdvisoryMainRandomViews compares the Go main with the template's on
// 3,000 views drawn from a fixed seed: the hostile strings of the XSS
// tests, URLs of every scheme and random masks (the seeds' pathological
// megabyte strings would make it minutes long), so that the comparison reaches combinations the
// seeds do not even where the fuzzing engine does not run.
func TestAdvisoryMainRandomViews(t *testing.T) {
	tpl, err := loadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	pool := append(append([]string{}, hostile...), "", "https://github.com/python/cpython/pull/1", "javascript:alert(1)",
		"HTTPS://example.org/a b?c=<d>&e", "mailto:a@b", "data:text/html,x", "//evil.example/x", "%zz%41 ü \x00", "3.12.4")
	rng := rand.New(rand.NewPCG(22, 7))
	for range 3000 {
		a, b, c := pool[rng.IntN(len(pool))], pool[rng.IntN(len(pool))], pool[rng.IntN(len(pool))]
		v := fuzzView(a, b, c, rng.Uint64())
		var got, want bytes.Buffer
		writeAdvisoryMain(&got, v)
		if err := tpl.advisory.t.ExecuteTemplate(&want, "main", pageData{Page: v}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%q %q %q: the Go main differs from the template's:\n%s\n---\n%s", a, b, c, got.Bytes(), want.Bytes())
		}
	}
}
