package cverecord

import (
	"github.com/psf/advisory-builder/internal/plaintext"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// cleanText makes CVE prose fit for an advisory source: characters the
// loader refuses (controls, zero-width and bidi marks) are removed,
// non-breaking spaces become spaces, and the hard line breaks CVE editors
// leave inside paragraphs are joined, while Markdown lists, code and tables
// keep their lines.
func cleanText(s string) string {
	s = strings.Map(cleanRune, strings.ReplaceAll(s, "\r\n", "\n"))
	var paras []string
	for _, p := range splitParagraphs(s) {
		if p = reflow(p); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

func cleanRune(r rune) rune {
	switch {
	case r == '\n':
		return r
	case r == '\t' || r == '\u00a0' || r == '\u202f' || r == '\u2028' || r == '\u2029':
		return ' '
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		return -1
	}
	return r
}

// splitParagraphs splits text at blank lines, keeping fenced code blocks
// whole.
func splitParagraphs(s string) []string {
	var paras []string
	var cur []string
	fenced := false
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
		}
		if !fenced && strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				paras = append(paras, strings.Join(cur, "\n"))
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		paras = append(paras, strings.Join(cur, "\n"))
	}
	return paras
}

var blockLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\s*([-*+]|[0-9]+[.)])\s|\s{4}|\s*#|\s*>|\s*\||\s*` + "```" + `)`)
})

// reflow rewraps a prose paragraph at 76 columns (never starting a line
// with a Markdown block marker); a paragraph with Markdown block structure
// keeps its lines, trimmed at the right.
func reflow(p string) string {
	lines := strings.Split(p, "\n")
	for _, l := range lines {
		if blockLine().MatchString(l) {
			for i := range lines {
				lines[i] = strings.TrimRight(lines[i], " ")
			}
			return strings.Join(lines, "\n")
		}
	}
	return plaintext.WrapMarkdown(p, 76)
}

// oneLine collapses a title to one line of single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(cleanRune, s)), " ")
}
