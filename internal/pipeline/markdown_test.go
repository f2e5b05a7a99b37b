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

func TestMentions(t *testing.T) {
	for _, tc := range []struct {
		line, id string
		want     bool
	}{
		{"advisories/python/PSF-2024-1.yaml:3:1: error: x", "PSF-2024-1", true},
		{"PSF-2024-11: something", "PSF-2024-1", false},
		{"PSF-2024-11 and PSF-2024-1", "PSF-2024-1", true},
		{"nothing here", "PSF-2024-1", false},
	} {
		if got := mentions(tc.line, tc.id); got != tc.want {
			t.Errorf("mentions(%q, %q) = %v, want %v", tc.line, tc.id, got, tc.want)
		}
	}
}

func TestReadable(t *testing.T) {
	for in, want := range map[string]string{
		"::warning file=advisories/python/PSF-0000-x.yaml,line=15,col=15,title=advisory lint%3A crosscheck::fixed_in says 3.10.1%0Anext 100%25": `advisories/python/PSF-0000-x.yaml:15:15: warning: fixed_in says 3.10.1\nnext 100%`,
		"::error title=advisory lint%3A publish-guard::gone": "error: gone",
		"warning: PSF-2024-1: plain":                         "warning: PSF-2024-1: plain",
	} {
		if got := readable(in); got != want {
			t.Errorf("readable(%q) = %q, want %q", in, got, want)
		}
	}
}
