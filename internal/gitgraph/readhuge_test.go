package gitgraph

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestReadWhole: a cache file read whole (into huge pages when large,
// mapped when small) holds exactly the file's bytes, at every size around
// the huge-page threshold.
func TestReadWhole(t *testing.T) {
	dir := t.TempDir()
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{1, 4095, hugePage - 1, hugePage, hugePage + 1, 3*hugePage + 12345} {
		want := make([]byte, size)
		for k := range want {
			want[k] = byte(rnd.Uint32())
		}
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readWhole(path)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("size %d: read %d bytes that differ from the file", size, len(got))
		}
	}
	if _, err := readWhole(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing file read")
	}
}
