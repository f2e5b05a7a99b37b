package ids

import (
	"strings"
	"testing"
)

// FuzzParseCounter: any counter text parses or is refused at a line and
// column inside the text, with a short message; nothing panics.
func FuzzParseCounter(f *testing.F) {
	f.Add("# h\n2024 12 PSF-2024-11<-python/PSF-0000-a\n2025 1\n")
	f.Add("2025 many\n")
	f.Add("<<<<<<< HEAD\n2025 7 a\n=======\n")
	f.Add("\u00a02025\u00a0x")
	f.Fuzz(func(t *testing.T, text string) {
		c, p := parseCounter([]byte(text))
		if p == nil {
			if c == nil {
				t.Fatal("no counter and no problem")
			}
			return
		}
		lines := strings.Split(text, "\n")
		if p.line < 1 || p.line > len(lines) || p.col < 1 || p.col > len([]rune(lines[p.line-1]))+1 {
			t.Fatalf("problem at %d:%d outside the text", p.line, p.col)
		}
		if len(p.msg) > 400 {
			t.Fatalf("message of %d bytes", len(p.msg))
		}
	})
}
