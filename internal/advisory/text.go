package advisory

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxFileSize caps the size of one advisory source file.
const MaxFileSize = 256 << 10

// checkText refuses bytes no advisory needs and that hide content from
// reviewers: invalid UTF-8, a BOM, NUL and other control characters (tab, LF
// and CR excepted), bidirectional controls and zero-width characters. It
// returns the 1-based line and column (in characters) of the first offender.
func checkText(data []byte) (line, col int, msg string) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col, "invalid UTF-8; save the file as UTF-8"
		}
		if m := badRune(r, i == 0); m != "" {
			return line, col, m
		}
		i += size
		if r == '\n' || (r == '\r' && (i == len(data) || data[i] != '\n')) {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return 0, 0, ""
}

// SplitLines splits source text after each line break as YAML defines
// them: LF, CRLF, or a lone CR (old Mac files). Every position the loader
// reports counts lines this way, so line N of a position is element N-1.
func SplitLines(s string) []string {
	var lines []string
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		switch {
		case i < 0:
			i = len(s)
		case s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n':
			i += 2
		default:
			i++
		}
		lines = append(lines, s[:i])
		s = s[i:]
	}
	return lines
}

func badRune(r rune, first bool) string {
	switch {
	case r == '\uFEFF' && first:
		return "byte order mark at the start of the file; save it as UTF-8 without BOM"
	case r == 0:
		return "NUL character; remove it"
	case r == '\t' || r == '\n' || r == '\r':
		return ""
	case r < 0x20 || (r >= 0x7F && r < 0xA0):
		return fmt.Sprintf("control character U+%04X; remove it", r)
	case isBidi(r):
		return fmt.Sprintf("bidirectional control character U+%04X can make text read differently than it is; remove it", r)
	case isZeroWidth(r):
		return fmt.Sprintf("invisible zero-width character U+%04X; remove it", r)
	case r == '\u2028' || r == '\u2029':
		return fmt.Sprintf("line or paragraph separator U+%04X; use a plain newline", r)
	}
	return ""
}

func isBidi(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' ||
		(r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

func isZeroWidth(r rune) bool {
	return (r >= '\u200B' && r <= '\u200D') || r == '\u2060' || r == '\uFEFF' || r == '\u180E'
}
