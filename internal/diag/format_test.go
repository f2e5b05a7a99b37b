package diag

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain/file.yaml: ok, ünïcödé 漢字", "plain/file.yaml: ok, ünïcödé 漢字"},
		{"a\nb\r\tc", `a\nb\r\tc`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"\x00\x7f\u0085", `\x00\x7f\x85`},
		{"safe\u202Eexe.txt\u200B\u2028\u2066", `safe\u202eexe.txt\u200b\u2028\u2066`},
		{"\U000E0041 tag", `\U000e0041 tag`},
		{"bad\xffutf8", `bad\xffutf8`},
		{`back\slash`, `back\slash`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := Escape(Escape(tt.in)); again != Escape(tt.in) {
			t.Errorf("Escape is not idempotent on %q: %q", tt.in, again)
		}
	}
}

// hostile is a diagnostic whose file name and message come from an input
// that tries to forge lines, workflow commands and terminal sequences.
var hostile = Diagnostic{
	File:     "advisories/python/x\n::error file=forged.yaml,line=1::pwned\r\x1b[2J,:%.yaml",
	Line:     3,
	Col:      7,
	Severity: Error,
	Rule:     "url",
	Message:  "https://e.test/\x1b]8;;https://evil.test\x07link: not valid\n::warning::forged %0A",
}

// TestWriteEscapes: whatever a file name or message holds, the text format
// writes exactly one line per diagnostic with no control character, and the
// github format one workflow command whose properties and message are
// escaped the way the runner unescapes them.
func TestWriteEscapes(t *testing.T) {
	for _, tt := range []struct{ format, want string }{
		{"text", `advisories/python/x\n::error file=forged.yaml,line=1::pwned\r\x1b[2J,:%.yaml:3:7: error: https://e.test/\x1b]8;;https://evil.test\x07link: not valid\n::warning::forged %0A` + "\n"},
		{"github", `::error file=advisories/python/x%0A%3A%3Aerror file=forged.yaml%2Cline=1%3A%3Apwned%0D\x1b[2J%2C%3A%25.yaml,line=3,col=7,title=advisory lint%3A url::https://e.test/\x1b]8;;https://evil.test\x07link: not valid%0A::warning::forged %250A` + "\n"},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, tt.format, List{hostile}); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.format, got, tt.want)
		}
		if strings.Count(buf.String(), "\n") != 1 || strings.ContainsAny(buf.String()[:buf.Len()-1], "\x00\x1b\x07\r\n") {
			t.Errorf("%s output is not one clean line: %q", tt.format, buf.String())
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, "json", List{hostile}); err != nil {
		t.Fatal(err)
	}
	var back []Diagnostic
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || len(back) != 1 || back[0] != hostile {
		t.Errorf("json does not carry the diagnostic exactly: %v %+v", err, back)
	}
	if strings.ContainsAny(buf.String(), "\x1b\x07\r") {
		t.Errorf("json output holds raw control characters: %q", buf.String())
	}
}

// TestGitHubWithoutFile: a finding about no file (a publish guard about a
// record without a source) is an annotation without a location.
func TestGitHubWithoutFile(t *testing.T) {
	var b bytes.Buffer
	d := Diagnostic{Severity: Error, Rule: "publish-guard", Message: "a record disappears\n::x"}
	if err := Write(&b, "github", List{d}); err != nil {
		t.Fatal(err)
	}
	if want := "::error title=advisory lint%3A publish-guard::a record disappears%0A::x\n"; b.String() != want {
		t.Errorf("github format = %q, want %q", b.String(), want)
	}
}

// FuzzEscape: any text escapes to printable characters and spaces only,
// and escaping twice changes nothing; a diagnostic of any file name and
// message is one line in the text and github formats.
// Run: go test ./internal/diag -run '^$' -fuzz FuzzEscape -fuzztime 60s
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "a\nb", "\x1b[2J", "\u202e", "bad\xff", hostile.File, hostile.Message} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if !printable(e) || Escape(e) != e {
			t.Fatalf("Escape(%q) = %q", s, e)
		}
		for _, format := range []string{"text", "github"} {
			var buf bytes.Buffer
			if err := Write(&buf, format, List{{File: s, Line: 1, Col: 1, Severity: Error, Rule: "r", Message: s}}); err != nil {
				t.Fatal(err)
			}
			if out := buf.String(); strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") || !printable(strings.TrimSuffix(out, "\n")) {
				t.Fatalf("%s output %q is not one printable line", format, out)
			}
		}
	})
}

// TestLineWriter: a remote's text, however it is split into writes, comes
// out as prefixed lines of printable text; line ends are kept, blank lines
// dropped and a last partial line written on Close.
func TestLineWriter(t *testing.T) {
	in := "Counting: 50%\rCounting: 100%\r\n\n\x1b]8;;https://evil.test\x07click\x1b[2J\n::error::forged\nlast \x1b[31mpart"
	want := "remote: Counting: 50%\r" +
		"remote: Counting: 100%\r" +
		"remote: \\x1b]8;;https://evil.test\\x07click\\x1b[2J\n" +
		"remote: ::error::forged\n" +
		"remote: last \\x1b[31mpart\n"
	for _, size := range []int{1, 3, len(in)} {
		var out bytes.Buffer
		w := NewLineWriter(&out, "remote: ")
		for i := 0; i < len(in); i += size {
			if _, err := w.Write([]byte(in[i:min(i+size, len(in))])); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("writes of %d bytes: got\n%q\nwant\n%q", size, out.String(), want)
		}
	}
}
