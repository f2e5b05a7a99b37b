package outfile

import (
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// record builds one linux_dirent64 record as getdents64 lays it out.
func record(ino uint64, dt byte, name string) []byte {
	n := direntName + len(name) + 1
	n = (n + 7) &^ 7
	b := make([]byte, n)
	binary.NativeEndian.PutUint64(b, ino)
	binary.NativeEndian.PutUint16(b[direntReclen:], uint16(n))
	b[direntType] = dt
	copy(b[direntName:], name)
	return b
}

func records(rs ...[]byte) []byte {
	var b []byte
	for _, r := range rs {
		b = append(b, r...)
	}
	return b
}

// TestAppendEntriesUnknownType: a record without a type (a file system
// that does not keep one) is typed by lstat in the root; one whose name is
// gone is an error, not an untyped entry.
func TestAppendEntriesUnknownType(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.json"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	got, err := appendEntries(root, nil, records(
		record(1, syscall.DT_UNKNOWN, "a.json"),
		record(2, syscall.DT_UNKNOWN, "sub"),
		record(3, syscall.DT_DIR, "."),
		record(0, syscall.DT_REG, "removed"),
		record(4, syscall.DT_LNK, "l"),
	))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{"a.json", 0}, {"sub", fs.ModeDir}, {"l", fs.ModeSymlink}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := appendEntries(root, nil, record(5, syscall.DT_UNKNOWN, "gone")); err == nil {
		t.Error("an untyped entry whose name is gone was listed")
	}
}

// TestAppendEntriesMalformed: records that do not parse are errors.
func TestAppendEntriesMalformed(t *testing.T) {
	good := record(1, syscall.DT_REG, "a")
	short := func(n int) []byte {
		b := append([]byte(nil), good...)
		binary.NativeEndian.PutUint16(b[direntReclen:], uint16(n))
		return b
	}
	noNUL := append([]byte(nil), good...)
	for i := direntName; i < len(noNUL); i++ {
		noNUL[i] = 'x'
	}
	for name, b := range map[string][]byte{
		"cut before the name":     good[:direntName-1],
		"length zero":             short(0),
		"length of the header":    short(direntName),
		"length past the buffer":  short(len(good) + 8),
		"name not terminated":     noNUL,
		"empty name":              record(1, syscall.DT_REG, ""),
		"name with a slash":       record(1, syscall.DT_REG, "a/b"),
		"second record cut short": append(append([]byte(nil), good...), good[:direntName+1]...),
	} {
		if _, err := appendEntries(nil, nil, b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// FuzzAppendEntries: any bytes give entries or an error, never a panic,
// and every entry listed has a plain name.
func FuzzAppendEntries(f *testing.F) {
	f.Add(records(record(1, syscall.DT_REG, "a.json"), record(2, syscall.DT_DIR, "PyPI")))
	f.Add(record(1, syscall.DT_UNKNOWN, "x"))
	f.Add([]byte{})
	root, err := os.OpenRoot(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	defer root.Close()
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := appendEntries(root, nil, b)
		if err != nil {
			return
		}
		for _, e := range got {
			if e.Name == "" || e.Name == "." || e.Name == ".." || strings.ContainsAny(e.Name, "/\x00") {
				t.Fatalf("listed %q", e.Name)
			}
		}
	})
}
