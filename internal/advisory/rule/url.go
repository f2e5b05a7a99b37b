package rule

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// URLProblem says what is wrong with a link, if anything. warn is true when
// the link is acceptable but should be fixed (plain http, for historical
// references). mailto is allowed when allowMail is set (credit contacts).
func URLProblem(raw string, allowMail bool) (msg string, warn bool) {
	if raw == "" {
		return "empty URL", false
	}
	if strings.TrimSpace(raw) != raw || strings.ContainsAny(raw, " \t\r\n\\") {
		return "URL contains spaces or backslashes", false
	}
	if p := TextProblem(raw); p != "" {
		return "URL holds " + p, false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "not a valid URL: " + err.Error(), false
	}
	switch u.Scheme {
	case "https", "http":
		if p := hostProblem(u); p != "" {
			return p, false
		}
		if u.Scheme == "http" {
			return "plain http link; use https if the site supports it", true
		}
		return "", false
	case "mailto":
		if allowMail && u.Opaque != "" {
			return "", false
		}
		return "mailto links are only allowed as credit contacts", false
	case "":
		return "relative or scheme-less URL; write the full https:// address", false
	}
	return "scheme " + u.Scheme + ": is not allowed; only https links", false
}

func hostProblem(u *url.URL) string {
	switch {
	case u.User != nil:
		return "URL carries user information (user@ or user:password@); remove it"
	case u.Hostname() == "" || strings.HasPrefix(u.Hostname(), ".") || u.Opaque != "":
		return "URL has no host; write https://host/path"
	}
	for _, r := range u.Host {
		if r > 0x7E || r < 0x21 {
			return "host must be ASCII (write internationalised names in punycode, xn--)"
		}
	}
	if port := u.Port(); port != "" || strings.HasSuffix(u.Host, ":") {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return fmt.Sprintf("port %q is not a port number (1 to 65535); correct it or leave the port out", port)
		}
	}
	return ""
}
