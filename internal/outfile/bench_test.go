package outfile

import (
	"os"
	"strconv"
	"testing"
)

// BenchmarkWriteFile creates 2,500-byte files in one directory through a
// Dir and through os.Root.WriteFile (what the writers used before), in the
// same run. The gap is the system calls around each creation; the
// creation itself (the file system's) is the same for both.
//
//	go test ./internal/outfile -run XXX -bench WriteFile -benchtime 20000x
func BenchmarkWriteFile(b *testing.B) {
	data := make([]byte, 2500)
	for _, bc := range []struct {
		name  string
		write func(root *os.Root, d *Dir, name string) error
	}{
		{"outfile.Dir", func(_ *os.Root, d *Dir, name string) error { return d.WriteFile(name, data, 0o644) }},
		{"os.Root", func(root *os.Root, _ *Dir, name string) error { return root.WriteFile(name, data, 0o644) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			top := b.TempDir()
			root, err := os.OpenRoot(top)
			if err != nil {
				b.Fatal(err)
			}
			defer root.Close()
			d, err := Open(root, ".", 0o755)
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			i := 0
			for b.Loop() {
				if err := bc.write(root, d, "PSF-2024-"+strconv.Itoa(i)+".html"); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkList lists a directory of 20,000 files opened in an os.Root,
// through List and through os.File.ReadDir (what SHA256SUMS's walk used
// before: inside a Root it takes every entry's type by lstat), in the same
// run.
//
//	go test ./internal/outfile -run XXX -bench List -benchtime 20x
func BenchmarkList(b *testing.B) {
	top := b.TempDir()
	for i := range 20000 {
		if err := os.WriteFile(top+"/PSF-2024-"+strconv.Itoa(i)+".html", nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	root, err := os.OpenRoot(top)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	for _, bc := range []struct {
		name string
		list func() (int, error)
	}{
		{"outfile.List", func() (int, error) { e, err := List(root); return len(e), err }},
		{"os.Root+ReadDir", func() (int, error) {
			f, err := root.Open(".")
			if err != nil {
				return 0, err
			}
			defer f.Close()
			e, err := f.ReadDir(-1)
			return len(e), err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if n, err := bc.list(); err != nil || n != 20000 {
					b.Fatalf("%d entries, %v", n, err)
				}
			}
		})
	}
}
