// Package plaintext renders advisory Markdown as readable plain text for
// e-mail and CVE descriptions: links spelled out, emphasis markers dropped,
// lists and code kept, paragraphs word-wrapped.
package plaintext

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Wrap fills words into lines of at most width characters (runes), each
// line starting with prefix; later lines start with hang instead. A word
// longer than the room (a URL) gets a line of its own and is never broken.
// A width of 0 or less puts everything on one line.
func Wrap(text string, width int, prefix, hang string) []string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return nil
	}
	var lines []string
	cur := prefix + words[0]
	for _, w := range words[1:] {
		if width > 0 && runes(cur)+1+runes(w) > width {
			lines = append(lines, cur)
			cur = hang + w
			continue
		}
		cur += " " + w
	}
	return append(lines, cur)
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// blockOpener matches words that would change a Markdown line's meaning at
// its start (list markers, headings, quotes, fences, tables).
var blockOpener = regexp.MustCompile("^([-*+#>|=]|[0-9]+[.)]|```|~~~)")

// WrapMarkdown wraps a Markdown prose paragraph at width without changing
// what it renders to: it never starts a line with a word that would open a
// list, heading, quote, fence or table.
func WrapMarkdown(text string, width int) string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return ""
	}
	var lines []string
	cur := words[0]
	for _, w := range words[1:] {
		if width > 0 && runes(cur)+1+runes(w) > width && !blockOpener.MatchString(w) {
			lines = append(lines, cur)
			cur = w
			continue
		}
		cur += " " + w
	}
	return strings.Join(append(lines, cur), "\n")
}
