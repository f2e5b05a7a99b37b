package plaintext

import (
	"slices"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/plaintext/plaintexttest"
	"github.com/psf/advisory-builder/internal/product"
)

// assertPlainAsFull checks that Markdown's quick path, when it takes src,
// renders at widths 0 and 72 what the syntax tree renders; it reports
// whether it took it.
func assertPlainAsFull(t *testing.T, src string) bool {
	t.Helper()
	paras, ok := PlainParagraphs(src)
	if !ok {
		return false
	}
	for _, width := range []int{0, 72} {
		if got, want := plainMarkdown(paras, width), markdownFull(src, width); got != want {
			t.Errorf("width %d: the quick path renders %q as\n%q\nthe syntax tree as\n%q", width, src, got, want)
		}
	}
	return true
}

// TestMarkdownPlainAsFull holds the quick path to the syntax tree on every
// description and mitigation of the shipped database and on edge cases.
func TestMarkdownPlainAsFull(t *testing.T) {
	cfg, err := product.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	as, _ := advisory.LoadAll("../..", cfg)
	if len(as) == 0 {
		t.Fatal("no shipped advisory loaded")
	}
	srcs := slices.Clone(plaintexttest.EdgeCases)
	for _, a := range as {
		srcs = append(srcs, a.Description, a.Mitigations)
	}
	took := 0
	for _, s := range srcs {
		if assertPlainAsFull(t, s) {
			took++
		}
	}
	if took == 0 {
		t.Error("no source took the quick path")
	}
	t.Logf("%d of %d sources took the quick path", took, len(srcs))
}

// TestMarkdownPlainRandom holds the quick path to the syntax tree on
// 100,000 seeded random documents over plain characters and a few that
// are not (FuzzMarkdownPlainAsFull runs the same check on any input).
func TestMarkdownPlainRandom(t *testing.T) {
	took := 0
	const n = 100000
	plaintexttest.RandomDocuments(22, n, func(doc string) {
		if assertPlainAsFull(t, doc) {
			took++
		}
	})
	if took < n/100 {
		t.Errorf("only %d of %d random documents took the quick path", took, n)
	}
	t.Logf("%d of %d random documents took the quick path", took, n)
}

// FuzzMarkdownPlainAsFull: whatever the input, the quick path renders what
// the syntax tree does whenever it takes it.
//
//	go test ./internal/plaintext -run '^$' -fuzz FuzzMarkdownPlainAsFull -fuzztime 60s
func FuzzMarkdownPlainAsFull(f *testing.F) {
	for _, s := range plaintexttest.EdgeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) { assertPlainAsFull(t, src) })
}
