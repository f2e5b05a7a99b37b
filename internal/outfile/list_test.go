package outfile

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// listTree makes a directory holding every kind of entry List must type:
// enough regular files with long names that the listing takes more than
// one read of the directory, a directory, a symbolic link and a FIFO.
func listTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for i := range 3000 {
		name := fmt.Sprintf("PSF-2026-%05d-%s.json", i, strings.Repeat("x", 40))
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "PyPI"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("PyPI", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Logf("no FIFO here: %v", err)
	}
	return dir
}

// TestListMatchesReadDir: List gives the names and types os.ReadDir gives
// for the same directory opened by path.
func TestListMatchesReadDir(t *testing.T) {
	dir := listTree(t)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	got, err := List(root)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	want, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("List gave %d entries, os.ReadDir %d", len(got), len(want))
	}
	dirs := 0
	for i, w := range want {
		if got[i].Name != w.Name() || got[i].Type != w.Type() {
			t.Errorf("entry %d: List gave %q %v, os.ReadDir %q %v", i, got[i].Name, got[i].Type, w.Name(), w.Type())
		}
		if got[i].IsDir() {
			dirs++
		}
	}
	if dirs != 1 {
		t.Errorf("%d directories listed, want 1 (the symbolic link to one is not)", dirs)
	}
}

// TestListEmpty: an empty directory lists nothing, not "." or "..".
func TestListEmpty(t *testing.T) {
	root, err := os.OpenRoot(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	got, err := List(root)
	if err != nil || len(got) != 0 {
		t.Fatalf("List = %v, %v; want nothing", got, err)
	}
}
