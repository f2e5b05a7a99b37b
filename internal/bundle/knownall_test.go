package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestKnownAll: the merge finds, for every asked path, the sum recorded
// for it (none when not recorded or recorded with different bytes), on
// seeded random sets of recorded and asked paths that overlap in part
// and sort with '/', '-' and '.' between equal prefixes.
func TestKnownAll(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 6))
	parts := []string{"a", "a-b", "a.b", "a/b", "b", "advisory/x", "advisory-x", "z"}
	for round := range 200 {
		h := NewHashes()
		want := map[string]string{} // path -> hex, "" when its bytes differed
		for range r.IntN(30) {
			p := parts[r.IntN(len(parts))] + fmt.Sprint(r.IntN(4))
			data := []byte(fmt.Sprint(r.IntN(3)))
			h.Add(p, data)
			sum := sha256.Sum256(data)
			if old, ok := want[p]; ok && old != hex.EncodeToString(sum[:]) {
				want[p] = ""
			} else if !ok {
				want[p] = hex.EncodeToString(sum[:])
			}
		}
		var names []string
		for _, p := range parts {
			for i := range 4 {
				if r.IntN(2) == 0 {
					names = append(names, p+fmt.Sprint(i))
				}
			}
		}
		slices.Sort(names)
		got := h.knownAll(names)
		for i, n := range names {
			if got[i] != want[n] {
				t.Fatalf("round %d: %s: %q, want %q", round, n, got[i], want[n])
			}
		}
	}
}

// TestWalkSumsFirstError: with refusable entries in several directories
// (listed at once), the error is always the first a one-goroutine
// depth-first walk in the directories' own order meets (firstRefused),
// and every directory opened is handed back to be closed.
func TestWalkSumsFirstError(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"a/x", "b", "c/y/z"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"a/ok.txt", "a/x/ok.txt", "b/ok.txt", "c/y/z/ok.txt", "top.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []string{"a/x/link", "b/link", "c/y/z/link"} {
		if err := os.Symlink("ok.txt", filepath.Join(dir, l)); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	first := firstRefused(t, dir, "")
	for range 20 {
		files, opened, err := walkSums(root, "")
		if err == nil || !strings.HasPrefix(err.Error(), first+" is not a regular file") {
			t.Fatalf("walkSums = %v, want %s's refusal first", err, first)
		}
		if len(opened) != 6 { // a, a/x, b, c, c/y, c/y/z
			t.Fatalf("%d directories opened handed back, want 6", len(opened))
		}
		if len(files) != 5 {
			t.Fatalf("%d files listed, want 5", len(files))
		}
		for _, r := range opened {
			r.Close()
		}
	}
}

// firstRefused is the first entry that is neither a directory nor a
// regular file of a depth-first walk in each directory's own order.
func firstRefused(t *testing.T, dir, prefix string) string {
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ents, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		switch {
		case e.IsDir():
			if p := firstRefused(t, filepath.Join(dir, e.Name()), prefix+e.Name()+"/"); p != "" {
				return p
			}
		case !e.Type().IsRegular():
			return prefix + e.Name()
		}
	}
	return ""
}
