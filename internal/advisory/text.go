package advisory

import (
	"strings"
	"unicode/utf8"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// MaxFileSize caps the size of one advisory source file.
const MaxFileSize = 256 << 10

// checkText refuses bytes no advisory needs and that hide content from
// reviewers, comments included: invalid UTF-8, a BOM, and every character
// rule.RuneProblem refuses (CR of CRLF line ends excepted). Escapes in
// quoted values are checked after decoding (decodeString). It returns the
// 1-based line and column (in characters) of the first offender.
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
	case r == '\r':
		return "" // CRLF line ends; YAML reads them as newlines
	}
	return rule.RuneProblem(r)
}
