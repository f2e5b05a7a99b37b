package rule

import (
	"strings"
	"testing"
)

func TestIdentifiers(t *testing.T) {
	cases := []struct {
		name string
		is   func(string) bool
		yes  []string
		no   []string
	}{
		{"IsPlaceholder", IsPlaceholder, []string{"PSF-0000-tarfile-redos", "PSF-0000-a1"},
			[]string{"PSF-0000-", "PSF-0000-5", "PSF-0000-12-34", "PSF-0000-Tar", "PSF-0000-a--b", "PSF-0000-a-", "PSF-2024-1"}},
		{"IsSlug", IsSlug, []string{"tarfile-redos", "x"}, []string{"", "-x", "x-", "a_b", "A", "12", "1-2"}},
		{"IsCVE", IsCVE, []string{"CVE-2024-6232", "CVE-2024-1234567"},
			[]string{"CVE-2024-123", "cve-2024-6232", "CVE-24-6232", "CVE-2024-12345678901234567890", " CVE-2024-6232"}},
		{"IsGHSA", IsGHSA, []string{"GHSA-4r3j-gxf3-vcmm"}, []string{"GHSA-4r3j-gxf3-vcm", "GHSA-abcd-gxf3-vcmm", "GHSA-4R3J-gxf3-vcmm"}},
		{"IsPYSEC", IsPYSEC, []string{"PYSEC-2023-1"}, []string{"PYSEC-23-1", "PYSEC-2023-"}},
		{"IsCWE", IsCWE, []string{"CWE-79", "CWE-1333", "CWE-999999"}, []string{"CWE-0", "CWE-079", "CWE-1234567", "CWE-79:", "CWE-"}},
		{"IsCommit", IsCommit, []string{strings.Repeat("a", 40)}, []string{strings.Repeat("a", 39), strings.Repeat("A", 40), strings.Repeat("g", 40)}},
		{"IsBranch", IsBranch, []string{"main", "3.12", "3.9"}, []string{"master", "3", "3.12.1", "v3.12", ""}},
		{"IsSafeName", IsSafeName, []string{"PSF-2024-1", "pip", "a.b_c"}, []string{"", ".x", "../x", "a/b", "a b", strings.Repeat("a", 101)}},
	}
	for _, c := range cases {
		for _, s := range c.yes {
			if !c.is(s) {
				t.Errorf("%s(%q) = false, want true", c.name, s)
			}
		}
		for _, s := range c.no {
			if c.is(s) {
				t.Errorf("%s(%q) = true, want false", c.name, s)
			}
		}
	}
}

func TestParseID(t *testing.T) {
	for _, c := range []struct {
		id      string
		y, n    int
		ok      bool
		problem string
	}{
		{"PSF-2024-11", 2024, 11, true, ""},
		{"PSF-2024-999999999", 2024, 999999999, true, ""},
		{"PSF-2024-1000000000", 0, 0, false, "over 999999999"},
		{"PSF-2024-9223372036854775808", 0, 0, false, "over 999999999"},
		{"PSF-2024-0", 0, 0, false, "must be PSF-YYYY-N"},
		{"PSF-0000-slug", 0, 0, false, ""},
		{"PSF-0000-5", 0, 0, false, "slug must hold a letter"},
		{"PSF-0000-12-34", 0, 0, false, "slug must hold a letter"},
		{"PSF-0000-2024-9", 0, 0, false, "slug must hold a letter"},
		{"psf-2024-1", 0, 0, false, "must be PSF-YYYY-N"},
	} {
		y, n, ok := ParseID(c.id)
		if y != c.y || n != c.n || ok != c.ok {
			t.Errorf("ParseID(%q) = %d, %d, %v; want %d, %d, %v", c.id, y, n, ok, c.y, c.n, c.ok)
		}
		if p := IDProblem(c.id); (c.problem == "") != (p == "") || !strings.Contains(p, c.problem) {
			t.Errorf("IDProblem(%q) = %q, want one containing %q", c.id, p, c.problem)
		}
	}
}

func TestCWE(t *testing.T) {
	for _, c := range []struct{ in, number, leading string }{
		{"CWE-79", "79", "CWE-79"},
		{"CWE-79: Improper Neutralization", "", "CWE-79"},
		{"CWE-0", "", ""},
		{"CWE-1234567", "", ""},
		{"Improper CWE-79", "", ""},
	} {
		if got := CWENumber(c.in); got != c.number {
			t.Errorf("CWENumber(%q) = %q, want %q", c.in, got, c.number)
		}
		if got := LeadingCWE(c.in); got != c.leading {
			t.Errorf("LeadingCWE(%q) = %q, want %q", c.in, got, c.leading)
		}
	}
}

func TestParseTime(t *testing.T) {
	for _, s := range []string{"2024-08-19T19:06:45Z", "2024-09-03T12:29:00.102Z"} {
		if _, err := ParseTime(s); err != nil {
			t.Errorf("ParseTime(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "2024-08-19", "2024-08-19T9:06:45Z", "2024-08-19T19:06:45+00:00", "2024-08-19 19:06:45Z", "2024-13-19T19:06:45Z"} {
		if _, err := ParseTime(s); err == nil {
			t.Errorf("ParseTime(%q) accepted", s)
		}
	}
}

func TestURLProblem(t *testing.T) {
	for _, c := range []struct {
		url       string
		allowMail bool
		want      string // "" for accepted
		warn      bool
	}{
		{"https://github.com/python/cpython/issues/1", false, "", false},
		{"http://bugs.python.org/issue1", false, "plain http", true},
		{"mailto:a@example.org", true, "", false},
		{"mailto:a@example.org", false, "mailto", false},
		{"javascript:alert(1)//", false, "scheme javascript", false},
		{"https://user:pw@example.org/", false, "user information", false},
		{"https:///x", false, "no host", false},
		{"https://.example.org/", false, "no host", false},
		{"https://exa\u202Emple.org/", false, "bidirectional", false},
		{"https://example.org/\x1b[2J", false, "control character", false},
		{"//example.org/x", false, "scheme-less", false},
		{"https://example.org/a b", false, "spaces", false},
		{"", false, "empty", false},
		{"https://example.org:99999/", false, "port", false},
		{"https://example.org:0/", false, "port", false},
		{"https://example.org:/", false, "port", false},
		{"https://example.org:0443/", false, "port", false},
		{"https://example.org:8443/x", false, "", false},
	} {
		msg, warn := URLProblem(c.url, c.allowMail)
		if (c.want == "") != (msg == "") || !strings.Contains(msg, c.want) || warn != c.warn {
			t.Errorf("URLProblem(%q) = %q, %v; want %q, %v", c.url, msg, warn, c.want, c.warn)
		}
	}
}

func TestTextProblem(t *testing.T) {
	for _, s := range []string{"plain", "tab\tand\nnewline", "Myllymäki", "日本語", "😀"} {
		if p := TextProblem(s); p != "" {
			t.Errorf("TextProblem(%q) = %q", s, p)
		}
	}
	for _, s := range []string{"\x00", "\x1b[31m", "\r", "\x7f", "\u0085", "\u00AD", "\u200B", "\u202E", "\u2028",
		"\u2061", "\u180B", "\u3164", "\uFE0F", "\U000E0041", "\uE000", "\uFFFE", "\uFFFD", "\xff"} {
		if p := TextProblem("a" + s + "b"); p == "" {
			t.Errorf("TextProblem(%q) accepted", s)
		}
	}
}

func TestValueProblem(t *testing.T) {
	for _, c := range []struct {
		v          any
		path, want string
	}{
		{map[string]any{"a": []any{"ok", map[string]any{"b": "x\u202Ey"}}}, "a[1].b", "U+202E"},
		{map[string]any{"z": "\x1b", "a": "\u00AD"}, "a", "U+00AD"},
		{map[string]any{"k\u200B": "v"}, ` key "k\u200b"`, "U+200B"},
		{map[string]any{"a": 1.0, "b": true, "c": nil, "d": "fine"}, "", ""},
	} {
		path, msg := ValueProblem(c.v)
		if path != c.path || !strings.Contains(msg, c.want) || (c.want == "") != (msg == "") {
			t.Errorf("ValueProblem(%v) = %q, %q; want %q, one naming %q", c.v, path, msg, c.path, c.want)
		}
	}
}

// TestLineProblem: the one-line field rule refuses line breaks, tabs, every
// space but U+0020, the blank braille pattern, decomposed accents and
// combining marks on no letter (issue 20 item 12), and passes names in any
// script.
func TestLineProblem(t *testing.T) {
	refused := []string{"a\nb", "a\rb", "a\u0085b", "a\tb", "a\u00A0b", "a\u202Fb", "a\u205Fb", "a\u2800b", "a\u3000b",
		"a\u1680b", "a\u200Ab", "a\u2003b", "e\u0301", "\u0301a", "a \u0301b", "1\u0301", " a", "a ", "a\u200Bb", "a\x1bb"}
	for _, s := range refused {
		if LineProblem(s) == "" {
			t.Errorf("LineProblem(%q) passed", s)
		}
	}
	passed := []string{"Heap overflow in tarfile", "Renée Dupont", "Łukasz Langa", "สมชาย ใจดี", "q\u0301", "陳大文", "tarfile.TarFile.extractall()"}
	for _, s := range passed {
		if p := LineProblem(s); p != "" {
			t.Errorf("LineProblem(%q) = %q, want none", s, p)
		}
	}
}
