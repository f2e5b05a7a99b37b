package pipeline

import (
	"bytes"
	"strings"
	"testing"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"PSF-2024-1":                 "PSF-2024-1",
		"a | b":                      `a \| b`,
		"line\nbreak":                "line break",
		"<script>x</script>":         "&lt;script&gt;x&lt;/script&gt;",
		"[link](https://evil)":       `\[link\](https://evil)`,
		"`code` *bold* _em_":         "\\`code\\` \\*bold\\* \\_em\\_",
		"::error file=x::injected\r": "::error file=x::injected ",
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDetailsFence: text holding backtick fences cannot end the block.
func TestDetailsFence(t *testing.T) {
	var b bytes.Buffer
	(&md{w: &b}).details("E-mail", "text", "before\n```\n# heading\n``````\nafter")
	out := b.String()
	if !strings.Contains(out, "\n```````text\nbefore\n") || !strings.HasSuffix(out, "\nafter\n```````\n\n</details>\n\n") {
		t.Fatalf("fence not longer than the text's backtick runs:\n%s", out)
	}
}
