package osvimport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/product"
)

// TestImportRefusesHiddenCharacters: an imported record is held to the
// advisory character rules on decoded strings (JSON escapes count), and
// nothing is written.
func TestImportRefusesHiddenCharacters(t *testing.T) {
	const rec = `{"schema_version":"1.7.5","id":"PSF-2024-1","modified":"2024-01-02T00:00:00Z",
"published":"2024-01-01T00:00:00Z","summary":"SUMMARY","details":"DETAILS",
"affected":[{"ranges":[{"type":"GIT","repo":"https://github.com/python/cpython",
"events":[{"introduced":"0"},{"fixed":"391e5626e3ee5af267b97e37abc7475732e67621"}]}]}]}`
	cfg, err := product.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ old, new, want string }{
		{"SUMMARY", `Safe \u202eexe.txt`, "summary: bidirectional control character U+202E"},
		{"SUMMARY", `red \u001b[31m`, "summary: control character U+001B"},
		{"DETAILS", `a\u0000b`, "details: NUL"},
		{"DETAILS", `\u00ad`, "U+00AD"},
		{"DETAILS", `\udb40\udc41`, "U+E0041"},
		{"DETAILS", `\ufe0f`, "U+FE0F"},
		{"DETAILS", `\u3164`, "U+3164"},
		{"DETAILS", `\u2063`, "U+2063"},
		{"DETAILS", `\u180d`, "U+180D"},
	} {
		t.Run(c.new, func(t *testing.T) {
			from, root := t.TempDir(), t.TempDir()
			data := strings.Replace(rec, c.old, c.new, 1)
			if err := os.WriteFile(filepath.Join(from, "PSF-2024-1.json"), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := runLinted(Options{From: from, Root: root, Product: "python"}, cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
			if left, _ := filepath.Glob(filepath.Join(root, "*", "*", "*")); len(left) != 0 {
				t.Errorf("wrote %v", left)
			}
		})
	}
	data := strings.Replace(rec, "SUMMARY", "A plain summary", 1)
	from, root := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(from, "PSF-2024-1.json"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := runLinted(Options{From: from, Root: root, Product: "python"}, cfg); err != nil {
		t.Fatalf("plain record refused: %v", err)
	}
}

// TestImportRefusesHiddenCharactersYAML: a YAML record's escapes are decoded
// before the rules apply.
func TestImportRefusesHiddenCharactersYAML(t *testing.T) {
	cfg, err := product.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	const rec = "id: PSF-2024-1\nmodified: \"2024-01-02T00:00:00Z\"\npublished: \"2024-01-01T00:00:00Z\"\n" +
		"summary: \"red \\e[31m \\u202E\"\ndetails: x\n"
	from, root := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(from, "PSF-2024-1.yaml"), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = runLinted(Options{From: from, Root: root, Product: "python"}, cfg)
	if err == nil || !strings.Contains(err.Error(), "summary: control character U+001B") {
		t.Fatalf("err = %v, want the summary's ESC named", err)
	}
}
