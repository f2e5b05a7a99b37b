package diag

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes text safe to print on a terminal or in a CI log: every
// character that is not printable (newlines, carriage returns, tabs, escape
// sequences, other C0 and C1 controls, bidirectional and zero-width
// format characters, line separators) and every invalid UTF-8 byte is
// written as a Go-style escape (\n, \x1b, \u202e). A file name or URL from
// an input can then neither start a new line (a forged diagnostic or a CI
// workflow command) nor move the cursor, recolour or reorder the text. The
// result holds printable characters and spaces only, so escaping it again
// changes nothing.
func Escape(s string) string {
	if printable(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += size
	}
	return b.String()
}

func printable(s string) bool {
	for _, r := range s {
		if r != ' ' && (r == utf8.RuneError || !unicode.IsPrint(r)) {
			return false
		}
	}
	return true
}
