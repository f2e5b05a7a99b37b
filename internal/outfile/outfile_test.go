package outfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
)

func openTemp(t *testing.T) (string, *Dir) {
	t.Helper()
	top := t.TempDir()
	root, err := os.OpenRoot(top)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	d, err := Open(root, "advisory", 0o755)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return filepath.Join(top, "advisory"), d
}

// TestWriteFile writes, overwrites and refuses what is not one file name.
func TestWriteFile(t *testing.T) {
	dir, d := openTemp(t)
	if err := os.WriteFile(filepath.Join(dir, "old.html"), []byte("a much longer old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, data string
		ok         bool
	}{
		{"PSF-2024-1.html", "<p>one</p>", true},
		{"old.html", "new", true}, // truncated, not overwritten in place
		{"empty.json", "", true},
		{"", "x", false},
		{".", "x", false},
		{"..", "x", false},
		{"../escape.html", "x", false},
		{"sub/page.html", "x", false},
		{`back\slash`, "x", false},
		{"nul\x00.html", "x", false},
	} {
		err := d.WriteFile(tc.name, []byte(tc.data), 0o644)
		if (err == nil) != tc.ok {
			t.Errorf("WriteFile(%q) = %v, want ok=%v", tc.name, err, tc.ok)
			continue
		}
		if !tc.ok {
			continue
		}
		got, err := os.ReadFile(filepath.Join(dir, tc.name))
		if err != nil || string(got) != tc.data {
			t.Errorf("%s holds %q, %v; want %q", tc.name, got, err, tc.data)
		}
		fi, err := os.Stat(filepath.Join(dir, tc.name))
		if err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm()&^0o022 != 0o644&^0o022) {
			t.Errorf("%s mode %v, %v", tc.name, fi.Mode(), err)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file escaped the directory: %v", err)
	}
}

// TestWriteFileRefusesLinksAndFIFOs: a symbolic link in the file's place is
// never followed, and a FIFO never blocks the writer.
func TestWriteFileRefusesLinksAndFIFOs(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix only")
	}
	dir, d := openTemp(t)
	target := filepath.Join(t.TempDir(), "target")
	if err := os.WriteFile(target, []byte("untouched"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "link.html")); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("link.html", []byte("x"), 0o644); err == nil {
		t.Error("WriteFile followed a symbolic link")
	}
	if got, _ := os.ReadFile(target); string(got) != "untouched" {
		t.Errorf("the link's target was written: %q", got)
	}
	if runtime.GOOS != "linux" {
		return // the FIFO guard is the Linux writer's (O_NONBLOCK); elsewhere os.Root writes
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.html"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("fifo.html", []byte("x"), 0o644); err == nil {
		t.Error("WriteFile wrote into a FIFO")
	}
}

// TestOpenRefusesLinkedDirectory: the directory itself is opened inside the
// root, so a link pointing out of it is refused.
func TestOpenRefusesLinkedDirectory(t *testing.T) {
	top := t.TempDir()
	if err := os.Symlink(t.TempDir(), filepath.Join(top, "advisory")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(top)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if d, err := Open(root, "advisory", 0o755); err == nil {
		d.Close()
		t.Fatal("Open followed a link out of the root")
	}
}

// TestConcurrentWrites: one Dir serves many goroutines.
func TestConcurrentWrites(t *testing.T) {
	dir, d := openTemp(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				name := string(rune('a'+i)) + string(rune('a'+j%26)) + string(rune('0'+j/26)) + ".json"
				if err := d.WriteFile(name, []byte(name), 0o644); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) != 400 {
		t.Fatalf("%d files, %v; want 400", len(ents), err)
	}
	for _, e := range ents {
		if got, _ := os.ReadFile(filepath.Join(dir, e.Name())); string(got) != e.Name() {
			t.Errorf("%s holds %q", e.Name(), got)
		}
	}
}
