package ids

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCounterProblems: a broken counter is refused at line:col, and the
// error quotes at most a short prefix of a bad value, however long it is.
func TestCounterProblems(t *testing.T) {
	huge := strings.Repeat("x", 100<<10)
	tests := []struct{ name, text, want string }{
		{"a 100 KB line without a number", "# h\n" + huge + "\n", `:2:1: "` + strings.Repeat("x", quoteMax) + `"... (102400 bytes in all) has no number`},
		{"a 100 KB year", huge + " 7\n", `:1:1: "` + strings.Repeat("x", quoteMax) + `"... (102400 bytes in all) is not a year`},
		{"a 100 KB count", "  2025 " + huge + "\n", `:1:8: "` + strings.Repeat("x", quoteMax) + `"... (102400 bytes in all) is not a count`},
		{"a count after non-ASCII spaces", "2025\u00a0\u00a07x\n", ":1:7: \"7x\" is not a count"},
		{"a repeated year", "2025 1\n\t2025 2\n", ":2:2: year 2025 is listed twice"},
		{"a conflict", "2025 1\n  <<<<<<< HEAD\n", ":2:3: unresolved merge conflict"},
		// Issue 20 item 12: the trail is what assign-ids writes, nothing else.
		{"free text as the trail", "2025 3 hello\n", `:1:8: "hello" is not an assignment ID<-product/placeholder`},
		{"a trail ID of another year", "2025 3 PSF-2024-3<-python/PSF-0000-a\n", `:1:8: "PSF-2024-3" is not an ID of 2025`},
		{"a trail ID above the count", "2025 3 PSF-2025-2<-python/PSF-0000-a PSF-2025-4<-pip/PSF-0000-b\n", `:1:38: PSF-2025-4 is above the year's last number 3`},
		{"a trail without a product", "2025 3 PSF-2025-3<-/PSF-0000-a\n", `:1:8: "" is not a product name`},
		{"a trail from a final ID", "2025 3 PSF-2025-3<-python/PSF-2025-1\n", `:1:8: "PSF-2025-1" is not a placeholder ID`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			os.MkdirAll(filepath.Join(root, "advisories"), 0o755)
			os.WriteFile(CounterPath(root), []byte(tc.text), 0o644)
			_, err := ReadCounter(root)
			if err == nil || !strings.HasPrefix(err.Error(), CounterPath(root)+tc.want) {
				t.Fatalf("ReadCounter: %.300v\nwant prefix %s%.300s", err, CounterPath(root), tc.want)
			}
			if len(err.Error()) > 600 {
				t.Errorf("the error is %d bytes long", len(err.Error()))
			}
			ds := CheckCounter(root)
			if len(ds) != 1 || !strings.HasPrefix(ds[0].String(), CounterPath(root)+strings.Replace(tc.want, ": ", ": error: ", 1)) {
				t.Errorf("CheckCounter: %.300v", ds)
			}
		})
	}
}

// TestCheckCounterClean: a missing counter and one assign-ids wrote are clean.
func TestCheckCounterClean(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "advisories"), 0o755)
	if ds := CheckCounter(root); ds != nil {
		t.Errorf("missing counter: %v", ds)
	}
	c := &Counter{Last: map[int]int{2024: 3, 2025: 9}, Trail: map[int]string{2025: "PSF-2025-9<-python/PSF-0000-x"}}
	if err := c.write(root); err != nil {
		t.Fatal(err)
	}
	if ds := CheckCounter(root); ds != nil {
		t.Errorf("a written counter: %v", ds)
	}
}
