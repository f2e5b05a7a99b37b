package plaintext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"reflow", "one two\nthree four five six", "one two three\nfour five six"},
		{"link", "see [the issue](https://x.test/1) now", "see the issue\n(https://x.test/1)\nnow"},
		{"bare link", "[https://x.test](https://x.test)", "https://x.test"},
		{"autolink", "at <https://x.test/a>", "at\nhttps://x.test/a"},
		{"strong", "**very** bad", "very bad"},
		{"code span kept", "use `tar.extractall()`", "use\n`tar.extractall()`"},
		{"list", "- first item here\n- second", "- first item\n  here\n- second"},
		{"numbered", "1. alpha beta gamma", "1. alpha beta\n   gamma"},
		{"heading", "## Mitigations\ntext", "Mitigations\n\ntext"},
		{"fence", "```\nx  =  1\n```", "    x  =  1"},
		{"indented code", "para\n\n    code line\n    two", "para\n\n    code line\n    two"},
		{"quote", "> quoted words here", "> quoted words\n> here"},
		{"escape", `a\*b`, "a*b"},
		{"long word", "a https://example.test/a/very/long/path b", "a\nhttps://example.test/a/very/long/path\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Markdown(tt.in, 14); got != tt.want {
				t.Errorf("Markdown(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
			}
		})
	}
}

func TestWrapNoWidth(t *testing.T) {
	if got := Markdown("a\nb\n\nc", 0); got != "a b\n\nc" {
		t.Errorf("got %q", got)
	}
}

// FuzzMarkdown: any input renders without panicking, and every line fits
// the width unless, after its prefix (quote marks, list markers), it is a
// single word (code and raw HTML are never wrapped).
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"a b c", "- x\n  y", "```\ncode", "[a](b) **c** <https://d>", "> q\n> r", "    x", "# h #",
		"- a\n  - b\n    - c", "1. a\n2. b\n\n   > q", "*em* _em_ ***both***", "a  \nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Markdown(s, 20)
		if strings.ContainsAny(s, "`~\t<") || strings.Contains(s, "    ") {
			return // code and HTML are never wrapped
		}
		for _, l := range strings.Split(out, "\n") {
			if utf8.RuneCountInString(l) <= 20 {
				continue
			}
			fs := strings.Fields(l)
			for len(fs) > 1 && isMarker(fs[0]) {
				fs = fs[1:]
			}
			if len(fs) > 1 {
				t.Fatalf("line %q over 20 columns for input %q", l, s)
			}
		}
	})
}

// isMarker reports whether s is a quote mark or a list marker.
func isMarker(s string) bool {
	switch s {
	case ">", "-", "*", "+":
		return true
	}
	n := strings.TrimRight(s, ".)")
	return len(n) == len(s)-1 && n != "" && strings.Trim(n, "0123456789") == ""
}

func TestWrapMarkdown(t *testing.T) {
	in := "aaa bbb - ccc 1. ddd # eee > fff"
	got := WrapMarkdown(in, 7)
	if got != "aaa bbb -\nccc 1.\nddd #\neee >\nfff" {
		t.Errorf("got %q", got)
	}
	for _, l := range strings.Split(got, "\n") {
		if blockOpener.MatchString(l) {
			t.Errorf("line %q starts with a block marker", l)
		}
	}
	if strings.Join(strings.Fields(got), " ") != in {
		t.Errorf("words changed: %q", got)
	}
}
