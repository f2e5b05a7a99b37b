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
		// A listing that said "regular file" before the entry was swapped
		// for a link, a FIFO or a directory: the open file is still checked.
		if _, err := ReadListed(tt.path, 0, 100); !errors.Is(err, tt.want) || strings.Contains(err.Error(), dir) {
			t.Errorf("ReadListed(%s) listed as a regular file: %v, want %v without the path", filepath.Base(tt.path), err, tt.want)
		}
		if fi, err := os.Lstat(tt.path); err == nil {
			if _, err := ReadListed(tt.path, fi.Mode().Type(), 100); !errors.Is(err, tt.want) {
				t.Errorf("ReadListed(%s) listed as it is: %v, want %v", filepath.Base(tt.path), err, tt.want)
			}
		}
	}
	if data, err := ReadListed(file, 0, 5); err != nil || string(data) != "12345" {
		t.Fatalf("ReadListed(file, 5) = %q, %v", data, err)
	}
	if _, err := ReadListed(file, 0, 4); !errors.As(err, &tooLarge) || tooLarge.Size != 5 {
		t.Errorf("ReadListed(file, 4): %v, want a TooLargeError of 5 bytes", err)
	}
}

// TestReadLimitedSizeHint: the size a file had when it was checked only
// sizes the buffer; a file that grew or shrank since is read whole, and
// one that grew past the cap is refused.
func TestReadLimitedSizeHint(t *testing.T) {
	for _, tc := range []struct {
		name        string
		content     string
		size, limit int64
		tooLarge    bool
	}{
		{"as checked", "12345", 5, 10, false},
		{"grew", "1234567", 5, 10, false},
		{"shrank", "12", 5, 10, false},
		{"no size (like /proc)", strings.Repeat("x", 3000), 0, 4000, false},
		{"empty", "", 0, 10, false},
		{"at the cap", "1234567890", 3, 10, false},
		{"grew past the cap", "12345678901", 5, 10, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := readLimited(strings.NewReader(tc.content), tc.size, tc.limit)
			var tooLarge *TooLargeError
			switch {
			case tc.tooLarge && !errors.As(err, &tooLarge):
				t.Fatalf("got %q, %v; want a TooLargeError", data, err)
			case !tc.tooLarge && (err != nil || string(data) != tc.content):
				t.Fatalf("got %q, %v; want %q", data, err, tc.content)
			}
		})
	}
}

// TestReadOpenedAsOS holds the plain-system-call reader to the os-package
// one on every kind of file: the same bytes or the same error.
func TestReadOpenedAsOS(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("small", "12345")
	empty := write("empty", "")
	big := write("big", strings.Repeat("x", 70000))
	link := filepath.Join(dir, "link")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path  string
		limit int64
	}{
		{small, 5}, {small, 4}, {small, 1 << 20}, {empty, 0}, {empty, 10},
		{big, 70000}, {big, 69999}, {big, 1 << 20},
		{link, 100}, {fifo, 100}, {dir, 100}, {filepath.Join(dir, "missing"), 100},
	} {
		got, gerr := readOpened(tc.path, tc.limit)
		want, werr := readFile(tc.path, tc.limit)
		if string(got) != string(want) || (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
			t.Errorf("%s limit %d: readOpened = %d bytes, %v; readFile = %d bytes, %v", filepath.Base(tc.path), tc.limit, len(got), gerr, len(want), werr)
		}
	}
}
