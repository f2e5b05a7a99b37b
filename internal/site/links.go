package site

import (
	"net/url"
	"strings"
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
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	host := u.Hostname()
	if host == "" || strings.HasPrefix(host, ".") {
		return false
	}
	return true
}
