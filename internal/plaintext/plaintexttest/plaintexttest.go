// Package plaintexttest holds the inputs shared by the tests of the two
// quick paths for plain paragraphs (plaintext.Markdown's and the site's),
// which both stand on plaintext.PlainParagraphs.
package plaintexttest

import (
	"math/rand/v2"
	"strings"
)

// EdgeCases are near the plain-paragraph rule's edges: every block opener
// and inline marker after a plain start, blank and space-only lines,
// trailing spaces, CRs, tabs, non-ASCII, long and repeated lines.
var EdgeCases = []string{
	"a", "a\n", "a\n\n", "\n", "", "\n\na", "a\n\n\n\nb\n", "a\nb\nc", "a \nb", "a  \nb", "a\n \nb", "a\n\t\nb",
	"a\r\nb", "a\tb", "é", "aé", "A b", "Z9", "a1. b", "a\n1. b", "a\n- b", "a\n---", "a\n===", "a\n# b",
	"a\n> b", "a\n    b", "a\n```\nb", "a\n~~~\nb", "a | b\n--|--", "a ~~b~~", "a *b*", "a _b_", "a `b`",
	"a [b](https://x)", "a <b>", "a &amp; b", "a \\* b", "a ! b", "a https://x.test/y", "a (b) c: d; e? f/g-h.",
	"it's \"quoted\"", "a 'b' \"c\"", "a--b", "a-\n-b", "a:\n:b", "a\n(b)", "a    b  c", strings.Repeat("word ", 3000) + "end",
	strings.Repeat("line\n", 2000), "A" + strings.Repeat(".", 100),
}

// RandomDocuments hands each of n seeded random documents to each: up to
// 80 characters, four in five from the characters the rule allows (and
// newlines), the others from characters that open or mark some Markdown
// construct, or are not ASCII.
func RandomDocuments(seed uint64, n int, each func(doc string)) {
	r := rand.New(rand.NewPCG(seed, 5))
	const plain = "abcXYZ019 .,;:?()/-'\"\n"
	others := []rune("#*_`[]<>&\\!~|=+\t\ré0 \n")
	var b strings.Builder
	for range n {
		b.Reset()
		for range 1 + r.IntN(80) {
			if r.IntN(5) == 0 {
				b.WriteRune(others[r.IntN(len(others))])
			} else {
				b.WriteByte(plain[r.IntN(len(plain))])
			}
		}
		each(b.String())
	}
}
