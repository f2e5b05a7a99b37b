package advisory

import (
	"strings"
)

// MaxFileSize caps the size of one advisory source file.
const MaxFileSize = 256 << 10

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
