package site

import (
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/plaintext/plaintexttest"
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
	srcs = append(srcs, plaintexttest.EdgeCases...)
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

// TestPlainParagraphsRandom holds the plain path to the full renderer on
// seeded random documents over an alphabet of plain characters and a few
// that are not (the fuzzing engine makes little progress on this machine;
// FuzzPlainParagraphsAsFull runs the same check on any input).
func TestPlainParagraphsRandom(t *testing.T) {
	took := 0
	const n = 200000
	plaintexttest.RandomDocuments(23, n, func(doc string) {
		if assertPlainAsFull(t, doc) {
			took++
		}
	})
	if took < n/100 {
		t.Errorf("only %d of %d random documents took the plain path", took, n)
	}
	t.Logf("%d of %d random documents took the plain path", took, n)
}

// FuzzPlainParagraphsAsFull: whatever the input, the plain path renders
// what the full renderer does whenever it takes it.
//
//	go test ./internal/site -run '^$' -fuzz FuzzPlainParagraphsAsFull -fuzztime 60s
func FuzzPlainParagraphsAsFull(f *testing.F) {
	for _, s := range plaintexttest.EdgeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) { assertPlainAsFull(t, src) })
}
