package bundle_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
)

// TestSumsKnownSame: SHA256SUMS written from the sums recorded as the
// records were written is byte for byte the one that reads every file
// back, and it lists the files nobody recorded (the archives, the
// indexes, a file written beside them).
func TestSumsKnownSame(t *testing.T) {
	recs := bundletest.Generate(40)
	dirs := [2]string{t.TempDir(), t.TempDir()}
	for i, dir := range dirs {
		root := openRoot(t, dir)
		hashes := bundle.NewHashes()
		if i == 0 {
			hashes = nil
		}
		if err := bundle.WriteHashed(root, recs, hashes); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := bundle.WriteSumsKnown(root, hashes); err != nil {
			t.Fatal(err)
		}
		if err := bundle.VerifySums(root); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dirs[0], bundle.SumsFile))
	b, _ := os.ReadFile(filepath.Join(dirs[1], bundle.SumsFile))
	if !bytes.Equal(a, b) || len(a) == 0 {
		t.Fatalf("SHA256SUMS differ:\n%s\n---\n%s", a, b)
	}
}

// TestHashesRewritten: a path recorded twice with different bytes is read
// back, so the sum listed is the file's, whichever write came last.
func TestHashesRewritten(t *testing.T) {
	dir := t.TempDir()
	root := openRoot(t, dir)
	hashes := bundle.NewHashes()
	for _, data := range []string{"first", "second"} {
		if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		hashes.Add("f.txt", []byte(data))
	}
	hashes.Add("g.txt", []byte("never written")) // recorded, not on disk: not listed
	if err := bundle.WriteSumsKnown(root, hashes); err != nil {
		t.Fatal(err)
	}
	if err := bundle.VerifySums(root); err != nil {
		t.Fatal(err)
	}
	var none *bundle.Hashes
	none.Add("x", nil) // a nil record records nothing
}

// BenchmarkSumsKnown lists the SHA256SUMS of 10,000 records' bundle by
// reading every file back (WriteSums) and from the sums recorded as the
// records were written (WriteSumsKnown), in the same run.
//
//	go test ./internal/bundle -run '^$' -bench SumsKnown -benchtime 5x
func BenchmarkSumsKnown(b *testing.B) {
	dir := b.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	hashes := bundle.NewHashes()
	if err := bundle.WriteHashed(root, bundletest.Generate(10000), hashes); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name   string
		hashes *bundle.Hashes
	}{{"read-back", nil}, {"recorded", hashes}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if err := bundle.WriteSumsKnown(root, bc.hashes); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
