package site

import (
	"html/template"
	"strings"
)

// The advisory page's longest lists, the branch table and the references,
// are written here rather than by a template range: a range executes a
// dozen reflective calls per row (each value's escaper among them), the
// page's largest cost. Values are escaped exactly as html/template escapes
// them in the same places (escapeText, escapeURLAttr), so the page's bytes
// are the same (TestRowsAsTemplate holds them to the template they
// replace).

// branchRows is the branch table's body rows.
func branchRows(rows []branchView) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 400)
	for _, r := range rows {
		b.WriteString(`<tr class="status-`)
		b.WriteString(escapeText(r.Status))
		b.WriteString(`"><th scope="row">`)
		b.WriteString(escapeText(r.Branch))
		b.WriteString(`</th><td data-label="First affected">`)
		b.WriteString(escapeText(orDash(r.First)))
		b.WriteString(`</td><td data-label="Last affected">`)
		b.WriteString(escapeText(orDash(r.Last)))
		b.WriteString(`</td><td data-label="Fixed in">`)
		if r.FixedIn != "" {
			b.WriteString(escapeText(r.FixedIn))
		} else {
			b.WriteString(`<span class="status">`)
			b.WriteString(escapeText(r.StatusLabel))
			b.WriteString(`</span>`)
		}
		b.WriteString(`</td><td data-label="Fix commit">`)
		switch {
		case r.FixURL != "":
			b.WriteString(`<a href="`)
			b.WriteString(escapeURLAttr(r.FixURL))
			b.WriteString(`" rel="noopener noreferrer"><code>`)
			b.WriteString(escapeText(r.FixShort))
			b.WriteString(`</code></a>`)
		case r.FixShort != "":
			b.WriteString(`<code>`)
			b.WriteString(escapeText(r.FixShort))
			b.WriteString(`</code>`)
		default:
			b.WriteString("—")
		}
		b.WriteString("</td></tr>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every value escaped above
}

// referenceItems is the references list's items.
func referenceItems(refs []refView) template.HTML {
	var b strings.Builder
	b.Grow(len(refs) * 200)
	for _, r := range refs {
		b.WriteString(`<li><span class="ref-type">`)
		b.WriteString(escapeText(r.Type))
		b.WriteString(`</span> `)
		if r.Safe {
			b.WriteString(`<a href="`)
			b.WriteString(escapeURLAttr(r.URL))
			b.WriteString(`" rel="noopener noreferrer">`)
			b.WriteString(escapeText(r.URL))
			b.WriteString(`</a>`)
		} else {
			b.WriteString(`<span class="plain-url">`)
			b.WriteString(escapeText(r.URL))
			b.WriteString(`</span>`)
		}
		b.WriteString("</li>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every value escaped above
}

// orDash is the template's {{or .X "—"}}.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// escapeURLAttr is what html/template writes for a string in a quoted
// URL attribute (href): a scheme other than http, https or mailto becomes
// "#ZgotmplZ", the URL is normalized (bytes outside RFC 3986's unreserved
// and reserved sets percent-encoded, valid escapes kept), then escaped as
// any attribute value (FuzzRowsAsTemplate holds it to html/template).
func escapeURLAttr(s string) string {
	if !safeURLScheme(s) {
		return "#ZgotmplZ"
	}
	return escapeText(normalizeURL(s))
}

// safeURLScheme: no scheme (no ':' before the first '/'), or http, https
// or mailto in any case.
func safeURLScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

func normalizeURL(s string) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlByteKept(s, i) {
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(lowerHex[c>>4])
		b.WriteByte(lowerHex[c&15])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

const lowerHex = "0123456789abcdef"

// urlByteKept: s[i] stays as it is in a normalized URL (a letter, digit,
// unreserved or reserved character, or the '%' of a valid escape).
func urlByteKept(s string, i int) bool {
	c := s[i]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
		return true
	case c == '%':
		return i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2])
	}
	return false
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
