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
// A width of 0 or less puts everything on one line. It takes time linear
// in the text: each word is counted and copied once.
func Wrap(text string, width int, prefix, hang string) []string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return nil
	}
	var lines []string
	var cur line
	cur.start(prefix, words[0])
	for _, w := range words[1:] {
		n := runes(w)
		if width > 0 && cur.runes+1+n > width {
			lines = append(lines, cur.String())
			cur.start(hang, w)
			continue
		}
		cur.add(" ", 1)
		cur.add(w, n)
	}
	return append(lines, cur.String())
}

// line is a line being filled, with its length in runes.
type line struct {
	strings.Builder
	runes int
}

func (l *line) start(prefix, word string) {
	l.Builder = strings.Builder{}
	l.runes = 0
	l.add(prefix, runes(prefix))
	l.add(word, runes(word))
}

func (l *line) add(s string, n int) {
	l.WriteString(s)
	l.runes += n
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
	var cur line
	cur.start("", words[0])
	for _, w := range words[1:] {
		n := runes(w)
		if width > 0 && cur.runes+1+n > width && !blockOpener.MatchString(w) {
			lines = append(lines, cur.String())
			cur.start("", w)
			continue
		}
		cur.add(" ", 1)
		cur.add(w, n)
	}
	return strings.Join(append(lines, cur.String()), "\n")
}
