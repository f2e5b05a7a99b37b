package site

import (
	"strings"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// isHTTPS reports whether s is a URL the site may render as a link: https,
// an ASCII host, no user info, no control or space characters.
func isHTTPS(s string) bool {
	if s == "" || len(s) > 2048 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`' {
			return false
		}
	}
	if !strings.HasPrefix(s, "https://") {
		return false
	}
	msg, _ := rule.URLProblem(s, false) // the rule sources are linted with
	return msg == ""
}
