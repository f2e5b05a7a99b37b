package plaintext

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
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

// plainEdgeCases are near the quick path's edges: every block opener and
// inline marker after a plain start, blank and space-only lines, trailing
// spaces, CRs, tabs, non-ASCII, long and repeated lines.
var plainEdgeCases = []string{
	"a", "a\n", "a\n\n", "\n", "", "\n\na", "a\n\n\n\nb\n", "a\nb\nc", "a \nb", "a  \nb", "a\n \nb", "a\n\t\nb",
	"a\r\nb", "a\tb", "é", "aé", "A b", "Z9", "a1. b", "a\n1. b", "a\n- b", "a\n---", "a\n===", "a\n# b",
	"a\n> b", "a\n    b", "a\n```\nb", "a\n~~~\nb", "a | b\n--|--", "a ~~b~~", "a *b*", "a _b_", "a `b`",
	"a [b](https://x)", "a <b>", "a &amp; b", "a \\* b", "a ! b", "a https://x.test/y", "a (b) c: d; e? f/g-h.",
	"it's \"quoted\"", "a 'b' \"c\"", "a--b", "a-\n-b", "a:\n:b", "a\n(b)", "a    b  c", strings.Repeat("word ", 3000) + "end",
	strings.Repeat("line\n", 2000), "A" + strings.Repeat(".", 100),
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
	srcs := slices.Clone(plainEdgeCases)
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
	r := rand.New(rand.NewPCG(22, 5))
	others := []rune("#*_`[]<>&\\!~|=+\t\ré0 \n")
	took := 0
	const n = 100000
	for range n {
		var b strings.Builder
		for range 1 + r.IntN(80) {
			if r.IntN(5) == 0 {
				b.WriteRune(others[r.IntN(len(others))])
			} else {
				b.WriteByte("abcXYZ019 .,;:?()/-'\"\n"[r.IntN(22)])
			}
		}
		if assertPlainAsFull(t, b.String()) {
			took++
		}
	}
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
	for _, s := range plainEdgeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) { assertPlainAsFull(t, src) })
}
