package site

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMarkdown checks that any Markdown renders without panicking into HTML with nothing executable, no non-https link and no image.
// Run: go test ./internal/site -run '^$' -fuzz FuzzMarkdown -fuzztime 60s
func FuzzMarkdown(f *testing.F) {
	for _, s := range append(append([]string{}, hostile...), hostileMarkdown...) {
		f.Add(s)
	}
	f.Add("# Title\n\n- a\n- [b](https://example.org)\n\n> quote\n\n```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
	f.Add(strings.Repeat("> ", 40) + "x")
	f.Fuzz(func(t *testing.T, src string) {
		out := string(renderMarkdown(src))
		if !utf8.ValidString(out) && utf8.ValidString(src) {
			t.Errorf("valid UTF-8 in, invalid out: %q", out)
		}
		checkHTML(t, "fuzz", []byte("<!doctype html><html><body>"+out+"</body></html>"))
	})
}

func TestMarkdownLinks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"[a](https://example.org/x)", `<p><a href="https://example.org/x" rel="noopener noreferrer">a</a></p>`},
		{"[a](http://example.org/x)", `<p>a</p>`},
		{"[a](javascript:alert(1))", `<p>a</p>`},
		{"<https://example.org/>", `<p><a href="https://example.org/" rel="noopener noreferrer">https://example.org/</a></p>`},
		{"<javascript:alert(1)>", `<p>javascript:alert(1)</p>`},
		{"![alt text](https://example.org/i.png)", `<p>alt text</p>`},
		{"<b>bold</b>", `<p>bold</p>`},
		{"# Big", `<h3>Big</h3>`},
		{"###### Small", `<h6>Small</h6>`},
	}
	for _, tt := range tests {
		got := strings.TrimSpace(string(renderMarkdown(tt.in)))
		if got != tt.want {
			t.Errorf("renderMarkdown(%q)\n got  %s\n want %s", tt.in, got, tt.want)
		}
	}
}
