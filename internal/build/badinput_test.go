package build

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const target = "advisories/python/PSF-2024-9.yaml"

// TestBadInputWritesNothing runs a build over the fixture with one source
// broken in each way the untrusted-input rules name. Each must fail with a
// diagnostic at the right file, line and column, and leave the previous
// output exactly as it was (and no temporary directory behind).
func TestBadInputWritesNothing(t *testing.T) {
	edit := func(old, new string) func(string) string {
		return func(s string) string {
			if !strings.Contains(s, old) {
				t.Fatalf("fixture lacks %q", old)
			}
			return strings.Replace(s, old, new, 1)
		}
	}
	tests := []struct {
		name      string
		file      string // default: target
		change    func(string) string
		line, col int
		msg       string
	}{
		{"anchor", "", edit("aliases: [", "aliases: &x ["), 3, 10, "anchors are not allowed"},
		{"alias", "", edit("aliases: [CVE-2024-7592]", "aliases: &x [CVE-2024-7592]\ncwes: *x"), 3, 10, "anchors are not allowed"},
		{"merge key", "", edit("  - branch: main\n", "  - <<: {branch: main}\n"), 17, 5, "merge key"},
		{"explicit tag", "", edit("severity: low", "severity: !!str low"), 6, 11, "explicit tag"},
		{"second document", "", func(s string) string { return s + "---\nid: PSF-2024-10\n" }, 31, 1, "second YAML document"},
		{"duplicate key", "", func(s string) string { return s + "severity: high\n" }, 31, 1, "duplicate key"},
		{"unknown field", "", func(s string) string { return s + "sevirity: high\n" }, 31, 1, "unknown field"},
		{"size cap", "", func(s string) string { return s + "# " + strings.Repeat("x", 300<<10) + "\n" }, 1, 1, "limit"},
		{"invalid UTF-8", "", edit("Quadratic", "Quad\xc3ratic"), 5, 12, "invalid UTF-8"},
		{"BOM", "", func(s string) string { return "\uFEFF" + s }, 1, 1, "byte order mark"},
		{"NUL", "", edit("Quadratic", "Quad\x00ratic"), 5, 12, "NUL"},
		{"control", "", edit("Quadratic", "Quad\x07ratic"), 5, 12, "control character"},
		{"bidi", "", edit("Quadratic", "Quad\u202Eratic"), 5, 12, "bidirectional"},
		{"zero width", "", edit("Quadratic", "Quad\u200Bratic"), 5, 12, "zero-width"},
		{"unquoted 3.10", "", edit(`branch: "3.12"`, "branch: 3.10"), 20, 13, "quote this value"},
		{"unquoted 0777", "", edit(`introduced: "0"`, "introduced: 0777"), 15, 13, "quote this value"},
		{"unquoted date", "", edit(`published: "2024-08-19T19:06:45Z"`, "published: 2024-08-19T19:06:45Z"), 4, 12, "quote this value"},
		{"unquoted tilde", "", edit("severity: low", "severity: ~"), 6, 11, "quote this value"},
		{"unquoted yes", "", edit("severity: low", "severity: yes"), 6, 11, "quote this value"},
		{"empty event", "", edit("    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n", ""), 20, 5, "empty branch entry"},
		{"two-key event", "", edit("    pr: 123075\n", "    last_affected: a77ab24427a18bff817025adb03ca920dc3f1a07\n"), 17, 5, "fixed together with last_affected"},
		{"missing introduced", "", edit("introduced: \"0\"\n", ""), 1, 1, `missing "introduced"`},
		{"id pattern", "", edit("id: PSF-2024-9", "id: PSF-2024-09"), 2, 5, "does not match the file name"},
		{"file name", "advisories/python/PSF-2024-99.yaml", nil, 2, 5, "does not match the file name"},
		{"traversal", "", edit("id: PSF-2024-9", "id: ../../PSF-2024-9"), 2, 5, "letters, digits and dashes"},
		{"duplicate alias", "", edit("CVE-2024-7592", "CVE-2023-5752"), 3, 11, "already listed"},
		{"not UTC", "", edit(`"2024-08-19T19:06:45Z"`, `"2024-08-19T21:06:45+02:00"`), 4, 12, "UTC"},
		{"future", "", edit(`"2024-08-19T19:06:45Z"`, `"2031-01-01T00:00:00Z"`), 4, 12, "in the future"},
		{"published after modified", "", edit("published: \"2024-08-19T19:06:45Z\"\n", "published: \"2024-08-19T19:06:45Z\"\nmodified: \"2024-08-01T00:00:00Z\"\n"), 5, 11, "before published"},
		{"short commit", "", edit("fixed: a77ab24427a18bff817025adb03ca920dc3f1a06", "fixed: a77ab24"), 21, 12, "40-character"},
		{"non-hex commit", "", edit("fixed: a77ab24427a18bff817025adb03ca920dc3f1a06", "fixed: z77ab24427a18bff817025adb03ca920dc3f1a06"), 21, 12, "40-character"},
		{"javascript URL", "", edit("url: https://github.com/python/cpython/issues/123067", "url: javascript:alert(1)"), 27, 10, "not allowed"},
		{"data URL", "", edit("url: https://github.com/python/cpython/issues/123067", `url: "data:text/html,<script>alert(1)</script>"`), 27, 10, "not allowed"},
		{"scheme-relative URL", "", edit("url: https://github.com/python/cpython/issues/123067", "url: //evil.example/x"), 27, 10, "scheme-less"},
		{"user info", "", edit("url: https://github.com/python/cpython/issues/123067", "url: https://u:p@github.com/x"), 27, 10, "user information"},
		{"non-ASCII host", "", edit("url: https://github.com/python/cpython/issues/123067", "url: https://gіthub.com/x"), 27, 10, "ASCII"},
		{"markdown size", "", edit("mitigations: |\n", "mitigations: |\n"+strings.Repeat("  lots of words\n", 3000)), 13, 14, "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, out, before := builtFixture(t)
			src := filepath.Join(root, target)
			data := string(mustRead(t, src))
			file := target
			if tt.change != nil {
				writeFile(t, src, []byte(tt.change(data)))
			} else {
				file = tt.file
				writeFile(t, filepath.Join(root, tt.file), []byte(data))
			}
			_, err := Run(Options{Root: root, Out: out, Now: now})
			if err == nil {
				t.Fatal("build accepted the bad input")
			}
			d := errorAt(t, err)
			if d.File != filepath.Join(root, file) || d.Line != tt.line || d.Col != tt.col || !strings.Contains(d.Message, tt.msg) {
				t.Errorf("got %s\nwant %s:%d:%d: ...%s...", d, file, tt.line, tt.col, tt.msg)
			}
			assertUntouched(t, root, out, before)
		})
	}
}

// TestBadFileKindsWriteNothing covers symlinks and non-regular files.
func TestBadFileKindsWriteNothing(t *testing.T) {
	kinds := map[string]func(t *testing.T, path string){
		"symlink": func(t *testing.T, path string) {
			if err := os.Symlink("/etc/passwd", path); err != nil {
				t.Fatal(err)
			}
		},
		"fifo": func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
		},
		"directory": func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, make := range kinds {
		t.Run(name, func(t *testing.T) {
			root, out, before := builtFixture(t)
			path := filepath.Join(root, "advisories", "python", "PSF-2024-77.yaml")
			make(t, path)
			_, err := Run(Options{Root: root, Out: out, Now: now})
			if err == nil {
				t.Fatal("build accepted it")
			}
			if d := errorAt(t, err); d.File != path || d.Line != 1 || d.Col != 1 {
				t.Errorf("got %s, want %s:1:1", d, path)
			}
			assertUntouched(t, root, out, before)
		})
	}
}

// builtFixture unpacks the fixture and builds it once, returning the
// output's files as they were.
func builtFixture(t *testing.T) (root, out string, before map[string][]byte) {
	t.Helper()
	root = t.TempDir()
	unpackFixture(t, root, nil)
	out = filepath.Join(root, "public")
	if _, err := Run(Options{Root: root, Out: out, Now: now}); err != nil {
		t.Fatal(err)
	}
	return root, out, readTree(t, out)
}

func assertUntouched(t *testing.T, root, out string, before map[string][]byte) {
	t.Helper()
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Errorf("output has %d files, had %d", len(after), len(before))
	}
	for name, data := range before {
		if string(after[name]) != string(data) {
			t.Errorf("%s changed", name)
		}
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".public") {
			t.Errorf("temporary %s left behind", e.Name())
		}
	}
}

// TestDuplicateIDWritesNothing copies an advisory into another product: the
// later file in path order is reported as reusing the ID.
func TestDuplicateIDWritesNothing(t *testing.T) {
	root, out, before := builtFixture(t)
	writeFile(t, filepath.Join(root, "advisories/pip/PSF-2024-9.yaml"), mustRead(t, filepath.Join(root, target)))
	_, err := Run(Options{Root: root, Out: out, Now: now})
	if err == nil {
		t.Fatal("build accepted a duplicate id")
	}
	d := errorAt(t, err)
	if d.File != filepath.Join(root, target) || d.Line != 2 || d.Col != 5 || !strings.Contains(d.Message, "already used by") {
		t.Errorf("got %s", d)
	}
	assertUntouched(t, root, out, before)
}
