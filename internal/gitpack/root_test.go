package gitpack

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// tempFiles lists the files in dir (the test's os.TempDir()).
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// withTempDir points os.TempDir() at a fresh directory for the test and
// sets whether roots' files are removed as soon as they are created.
func withTempDir(t *testing.T, early bool) string {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	old := unlinkEarly
	unlinkEarly = early
	t.Cleanup(func() { unlinkEarly = old })
	return tmp
}

// commitChains commits, in a new repository at dir, versions of three
// files of random letters (nothing in common, so their versions are
// three chains), packs them and returns each file's blobs, oldest first.
func commitChains(t *testing.T, dir string) [][]string {
	git(t, dir, nil, "init", "-q", "-b", "main")
	names := []string{"python", "pip", "other"}
	out := make([][]string, len(names))
	data := make([][]byte, len(names))
	rng := rand.New(rand.NewPCG(40, 40))
	letters := func(b []byte) {
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
	}
	for k := range names {
		data[k] = make([]byte, 20000)
		letters(data[k])
	}
	for i := range 6 {
		for k, name := range names {
			at := rng.IntN(len(data[k]) - 20)
			letters(data[k][at : at+20]) // each version a few bytes changed
			if err := os.WriteFile(filepath.Join(dir, name+".txt"), data[k], 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git(t, dir, nil, "add", "-A")
		git(t, dir, nil, "commit", "-q", "-m", fmt.Sprintf("version %d", i))
		for k, name := range names {
			out[k] = append(out[k], strings.TrimSpace(string(git(t, dir, nil, "rev-parse", "HEAD:"+name+".txt"))))
		}
	}
	git(t, dir, nil, "repack", "-adfq")
	return out
}

// TestFileRootsRemoved: roots read from temporary files, of three chains
// read in turn, are git's bytes; at most maxFileRoots files exist at
// once (the least recently used root is closed and its file removed),
// none once the store is closed; with the files removed as soon as they
// are made, none ever shows.
func TestFileRootsRemoved(t *testing.T) {
	dir := t.TempDir()
	chains := commitChains(t, dir)
	for _, early := range []bool{false, true} {
		tmp := withTempDir(t, early)
		s, err := Open(filepath.Join(dir, ".git"))
		if err != nil {
			t.Fatal(err)
		}
		s.MaxHeldRoot = 1
		roots := map[*Root]bool{}
		for round := range 2 {
			for _, blobs := range chains {
				for i := len(blobs) - 1; i >= 0; i-- {
					c, err := s.Blob(plumbing.NewHash(blobs[i]))
					if err != nil {
						t.Fatalf("round %d, blob %s: %v", round, blobs[i], err)
					}
					if got, want := contentBytes(t, c), git(t, dir, nil, "cat-file", "blob", blobs[i]); !bytes.Equal(got, want) {
						t.Fatalf("blob %s: %d bytes from a file root, git %d", blobs[i], len(got), len(want))
					}
					roots[c.Root] = true
					files := tempFiles(t, tmp)
					if early && len(files) != 0 || len(files) > maxFileRoots || len(files) != s.fileRoots && !early {
						t.Fatalf("early %v: files %v with %d roots in files", early, files, s.fileRoots)
					}
				}
			}
		}
		if len(roots) < 2*len(chains) {
			t.Errorf("%d roots made for %d chains read twice: eviction is not tested", len(roots), len(chains))
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if files := tempFiles(t, tmp); len(files) != 0 {
			t.Errorf("early %v: after Close: %v", early, files)
		}
		for r := range roots {
			if _, err := r.ReadAt(make([]byte, 1), 0); err == nil {
				t.Errorf("a closed root read without error")
			}
		}
	}
}

// TestFileRootDamagedPack: a damaged pack, its roots read into files,
// reads as git's bytes or not at all, never panics, and leaves no file
// behind a root it failed to read, nor any after Close.
func TestFileRootDamagedPack(t *testing.T) {
	tmp := withTempDir(t, false)
	vs := versions(5, 8)
	dir := t.TempDir()
	blobs := commitVersions(t, dir, vs)
	git(t, dir, nil, "repack", "-adfq")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	good, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	failed := 0
	for range 40 {
		writeDamaged(t, packs[0], good, rng)
		s, err := Open(filepath.Join(dir, ".git"))
		if err != nil {
			continue
		}
		s.MaxHeldRoot = 1
		for i := len(blobs) - 1; i >= 0; i-- {
			c, err := s.Blob(plumbing.NewHash(blobs[i]))
			if err != nil {
				failed++
			} else if _, err := c.Bytes(); err != nil {
				t.Errorf("blob %s read, but its bytes do not: %v", blobs[i], err)
			}
			if files := tempFiles(t, tmp); len(files) != s.fileRoots {
				t.Fatalf("%d files for %d roots in files: %v", len(files), s.fileRoots, files)
			}
		}
		s.Close()
		if files := tempFiles(t, tmp); len(files) != 0 {
			t.Fatalf("after Close: %v", files)
		}
	}
	if failed == 0 {
		t.Errorf("no blob failed to read from a damaged pack: the test tests little")
	}
}

// TestFileRootCutShort: a root's file cut short (or closed) gives errors
// on every read that reaches past the cut, never a panic or other bytes.
func TestFileRootCutShort(t *testing.T) {
	withTempDir(t, true)
	data := lockText(make([]int, 3000))
	if len(data) < 16*fileBlockSize {
		t.Fatalf("a root of %d bytes tests little", len(data))
	}
	r, err := NewFileRoot(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.InFile() || r.Size() != len(data) {
		t.Fatalf("in a file: %v, %d bytes", r.InFile(), r.Size())
	}
	cut := len(data) / 2
	if err := r.data.(*fileRoot).f.Truncate(int64(cut)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(6, 6))
	errs := 0
	for range 2000 {
		off := rng.IntN(len(data) + 10)
		n := rng.IntN(100)
		if rng.IntN(10) == 0 {
			n = rng.IntN(8 * fileBlockSize)
		}
		got, err := r.Slice(off, n, nil)
		switch {
		case err != nil:
			errs++
		case off+n > cut && n > 0:
			t.Fatalf("%d bytes at %d read past the cut at %d", n, off, cut)
		case !bytes.Equal(got, data[off:off+n]):
			t.Fatalf("%d bytes at %d read other bytes", n, off)
		}
	}
	if errs == 0 {
		t.Error("no read failed")
	}
	if _, err := whole(r).Bytes(); err == nil {
		t.Error("the whole root read from a file cut short")
	}
	r.Close()
	if _, err := r.Slice(0, 10, nil); err == nil {
		t.Error("a closed root read")
	}
}

// TestFileRootWritePanics: a panic while a root is written (the pack
// scanner is not ours to prove panic-free) leaves no file behind.
func TestFileRootWritePanics(t *testing.T) {
	tmp := withTempDir(t, false)
	func() {
		defer func() { recover() }()
		writeFileRoot(func(w io.Writer) (int64, error) {
			w.Write([]byte("some bytes"))
			panic("a damaged pack")
		}, 10)
	}()
	if files := tempFiles(t, tmp); len(files) != 0 {
		t.Errorf("left behind: %v", files)
	}
}

// FuzzRootReads: a root in a file reads exactly as the same bytes held
// in memory, for any reads in any order (through its block cache, across
// blocks, past its end).
func FuzzRootReads(f *testing.F) {
	f.Add([]byte("hello, world"), []byte{0, 5, 3, 200, 12, 0})
	f.Add(bytes.Repeat([]byte("abcdefgh"), 3000), []byte{255, 255, 1, 2, 0, 90, 7})
	f.Fuzz(func(t *testing.T, data, reads []byte) {
		withTempDir(t, true)
		file, err := NewFileRoot(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		held := NewRoot(data)
		for i := 0; i+1 < len(reads); i += 2 {
			// offsets and lengths spread over the root, some past it
			off := int(reads[i]) * (len(data) + 1) / 200
			n := int(reads[i+1]) * int(reads[i+1]) * 4
			want, wantErr := held.Slice(off, n, nil)
			got, err := file.Slice(off, n, nil)
			if (err == nil) != (wantErr == nil) || !bytes.Equal(got, want) {
				t.Fatalf("%d bytes at %d of %d: file %q, %v; held %q, %v", n, off, len(data), got, err, want, wantErr)
			}
		}
	})
}

// TestFileRootReadsInOrder: reads going forward in small steps (which
// fetch the blocks ahead), two such streams at once, and jumps between
// them read a root's bytes exactly, across blocks and to its end.
func TestFileRootReadsInOrder(t *testing.T) {
	withTempDir(t, true)
	rng := rand.New(rand.NewPCG(8, 8))
	for _, size := range []int{1, fileBlockSize, fileBlockSize*fileReadAhead + 7, (fileCacheBlocks + 40) * fileBlockSize} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rng.IntN(256))
		}
		r, err := NewFileRoot(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		a, b := 0, size/2 // two streams, as a version's cut and a delta's copies
		for a < size || b < size {
			at := &a
			if rng.IntN(3) == 0 && b < size || a >= size {
				at = &b
			}
			if rng.IntN(50) == 0 {
				j := rng.IntN(size)
				at = &j // a jump anywhere
			}
			n := min(1+rng.IntN(3*fileBlockSize/2), size-*at)
			got, err := r.Slice(*at, n, nil)
			if err != nil || !bytes.Equal(got, data[*at:*at+n]) {
				t.Fatalf("size %d: %d bytes at %d: %v", size, n, *at, err)
			}
			*at += n
		}
		r.Close()
	}
}
