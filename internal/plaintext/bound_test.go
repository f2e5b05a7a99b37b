package plaintext

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
)

// referenceFlood is the shape of issue 20 item 3 at size bytes: one
// reference definition holding a long URL, then paragraphs using it as
// often as lint allows (31 link openers per paragraph).
func referenceFlood(size int) string {
	var b strings.Builder
	b.WriteString("[r]: https://example.com/" + strings.Repeat("a", 16000) + "\n\n")
	para := strings.Repeat("[r] ", 30) + "[r]\n\n"
	for b.Len()+len(para) <= size {
		b.WriteString(para)
	}
	return b.String()
}

// amplifiers are shapes whose output could outgrow their input: reference
// links (a URL used many times), images and links by reference, a long
// paragraph on one line (width 0) and one word per line.
func amplifiers() map[string]string {
	return map[string]string{
		"reference-flood":  referenceFlood(32 << 10),
		"image-references": "[i]: https://example.com/" + strings.Repeat("b", 8000) + "\n\n" + strings.Repeat("![x][i] ", 31),
		"collapsed":        "[r]: https://example.com/" + strings.Repeat("c", 8000) + "\n\n" + strings.Repeat("[r][] [t][r] ", 15),
		"long-paragraph":   strings.Repeat("word ", 6000),
		"word-lines":       strings.Repeat("w\n", 6000),
	}
}

// TestMarkdownOutputBounded: the output is never much longer than the
// input, at either width (the e-mail's and the CVE record's).
func TestMarkdownOutputBounded(t *testing.T) {
	for name, src := range amplifiers() {
		for _, width := range []int{0, 72} {
			out := Markdown(src, width)
			if len(out) > 2*len(src)+64 {
				t.Errorf("%s at width %d: %d bytes of output for %d of input", name, width, len(out), len(src))
			}
		}
	}
}

func TestReferenceNotes(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"numbered once", "[a][r] and [b][r] and [c][s]\n\n[r]: https://x.test/r\n[s]: https://x.test/s",
			"a [1] and b [1] and c [2]\n\n[1] https://x.test/r\n[2] https://x.test/s"},
		{"shortcut and collapsed", "[r] [r][]\n\n[r]: https://x.test/r", "r [1] r [1]\n\n[1] https://x.test/r"},
		{"same URL as two labels", "[a][r] [b][s]\n\n[r]: https://x.test/u\n[s]: https://x.test/u", "a [1] b [1]\n\n[1] https://x.test/u"},
		{"image", "![alt][i]\n\n[i]: https://x.test/i.png", "alt [1]\n\n[1] https://x.test/i.png"},
		{"inline stays inline", "[a](https://x.test/a)", "a (https://x.test/a)"},
		{"definition only", "[r]: https://x.test/r", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Markdown(tt.in, 0); got != tt.want {
				t.Errorf("Markdown(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}

// BenchmarkMarkdownAmplifiers renders the shapes that could outgrow their
// input next to the strongest alternative on the same input, goldmark's
// own HTML renderer (the site's parser, linear in its input), and reports
// the output size per input byte:
//
//	go test ./internal/plaintext -run '^$' -bench Amplifiers -benchtime 20x
func BenchmarkMarkdownAmplifiers(b *testing.B) {
	for name, src := range amplifiers() {
		b.Run(name+"/plaintext", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			var out string
			for b.Loop() {
				out = Markdown(src, 72)
			}
			b.ReportMetric(float64(len(out))/float64(len(src)), "out/in")
		})
		b.Run(name+"/goldmark-html", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				if err := goldmark.Convert([]byte(src), &out); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.Len())/float64(len(src)), "out/in")
		})
	}
}
