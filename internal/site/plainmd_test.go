package site

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/product"
)

// assertPlainAsFull checks that plainParagraphs, when it takes src, renders
// what goldmark and bluemonday render; it reports whether it took it.
func assertPlainAsFull(t *testing.T, src string) bool {
	t.Helper()
	got, ok := plainParagraphs(src)
	if !ok {
		return false
	}
	if want := string(renderMarkdownFull(src)); got != want {
		t.Errorf("plainParagraphs(%q) =\n%q\nthe full renderer:\n%q", src, got, want)
	}
	return true
}

// TestPlainParagraphsAsFull holds the plain path to the full renderer on
// every description and mitigation of the shipped database, of the
// generated databases' records and of the site's fixtures, and on edge
// cases; the generated descriptions must take the plain path.
func TestPlainParagraphsAsFull(t *testing.T) {
	cfg, err := product.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	as, _ := advisory.LoadAll("../..", cfg)
	if len(as) == 0 {
		t.Fatal("no shipped advisory loaded")
	}
	var srcs []string
	for _, a := range as {
		srcs = append(srcs, a.Description, a.Mitigations)
	}
	fc := fixtureConfig()
	recs := append(append(fixtureRecords(fc), xssRecords(fc)...), generateRecords(fc, 5)...)
	recs = append(recs, bundletest.Generate(30)...)
	for _, r := range recs {
		if r.Advisory != nil {
			srcs = append(srcs, r.Advisory.Description, r.Advisory.Mitigations)
		}
		if r.Vuln != nil {
			srcs = append(srcs, r.Vuln.Details)
		}
	}
	srcs = append(srcs, plainEdgeCases...)
	took := 0
	for _, s := range srcs {
		if assertPlainAsFull(t, s) {
			took++
		}
	}
	if took == 0 {
		t.Error("no source took the plain path")
	}
	t.Logf("%d of %d sources took the plain path", took, len(srcs))
}

// plainEdgeCases are near the plain path's edges: every block opener and
// inline marker after a plain start, blank and space-only lines, trailing
// spaces, CRs, tabs, non-ASCII, long and repeated lines.
var plainEdgeCases = []string{
	"a", "a\n", "a\n\n", "\n", "\n\na", "a\n\n\n\nb\n", "a\nb\nc", "a \nb", "a  \nb", "a\n \nb", "a\n\t\nb",
	"a\r\nb", "a\tb", "é", "aé", "A b", "Z9", "a1. b", "a\n1. b", "a\n- b", "a\n---", "a\n===", "a\n# b",
	"a\n> b", "a\n    b", "a\n```\nb", "a\n~~~\nb", "a | b\n--|--", "a ~~b~~", "a *b*", "a _b_", "a `b`",
	"a [b](https://x)", "a <b>", "a &amp; b", "a \\* b", "a ! b", "a https://x.test/y", "a (b) c: d; e? f/g-h.",
	"it's \"quoted\"", "a 'b' \"c\"", "a--b", "a-\n-b", "a:\n:b", "a\n(b)", strings.Repeat("word ", 3000) + "end",
	strings.Repeat("line\n", 2000), "A" + strings.Repeat(".", 100),
}

// TestPlainParagraphsRandom holds the plain path to the full renderer on
// seeded random documents over an alphabet of plain characters and a few
// that are not (the fuzzing engine makes little progress on this machine;
// FuzzPlainParagraphsAsFull runs the same check on any input).
func TestPlainParagraphsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 4))
	const alphabet = "aZq09 .,;:?()/-'\"\n\n\n  #*_`[]<>&\\!~|=+\t\ré"
	letters := []rune(alphabet)
	took := 0
	const n = 200000
	for range n {
		var b strings.Builder
		for range 1 + r.IntN(60) {
			if r.IntN(4) == 0 { // mostly plain text
				b.WriteRune(letters[r.IntN(len(letters))])
			} else {
				b.WriteByte("abcXYZ019 .,'\n"[r.IntN(14)])
			}
		}
		if assertPlainAsFull(t, b.String()) {
			took++
		}
	}
	if took < n/50 {
		t.Errorf("only %d of %d random documents took the plain path", took, n)
	}
	t.Logf("%d of %d random documents took the plain path", took, n)
}

// FuzzPlainParagraphsAsFull: whatever the input, the plain path renders
// what the full renderer does whenever it takes it.
//
//	go test ./internal/site -run '^$' -fuzz FuzzPlainParagraphsAsFull -fuzztime 60s
func FuzzPlainParagraphsAsFull(f *testing.F) {
	for _, s := range plainEdgeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) { assertPlainAsFull(t, src) })
}
