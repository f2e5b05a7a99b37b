package regularfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRead reads regular files within the cap and refuses everything else
// without blocking (a FIFO with no writer would block a plain open).
func TestRead(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := Read(file, 5); err != nil || string(data) != "12345" {
		t.Fatalf("Read(file, 5) = %q, %v", data, err)
	}
	var tooLarge *TooLargeError
	if _, err := Read(file, 4); !errors.As(err, &tooLarge) || tooLarge.Size != 5 || !strings.Contains(err.Error(), "5 bytes, over the 4-byte limit") {
		t.Errorf("Read(file, 4): %v, want a TooLargeError of 5 bytes", err)
	}
	for _, tt := range []struct {
		path string
		want error
	}{{link, ErrSymlink}, {fifo, ErrNotRegular}, {dir, ErrNotRegular}, {filepath.Join(dir, "missing"), os.ErrNotExist}} {
		if _, err := Read(tt.path, 100); !errors.Is(err, tt.want) || strings.Contains(err.Error(), dir) {
			t.Errorf("Read(%s): %v, want %v without the path", filepath.Base(tt.path), err, tt.want)
		}
	}
}
