package gitpack

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// git runs git in dir and returns its output.
func git(t testing.TB, dir string, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=PSRT", "-c", "user.email=psrt@example.org", "-c", "commit.gpgsign=false", "-c", "gc.auto=0"}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// lockText is a file shaped like a lock: a header, then entries of a few
// lines each, every entry's lines numbered by its version.
func lockText(entries []int) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"format\": 1,\n  \"advisories\": {\n")
	for i, v := range entries {
		fmt.Fprintf(&b, "    \"PSF-2024-%d\": {\n      \"versions\": [\n", i)
		for k := range 3 + v%4 {
			fmt.Fprintf(&b, "        \"v3.%d.%d\",\n", k, v)
		}
		b.WriteString("      ]\n    }")
		if i < len(entries)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("  }\n}\n")
	return b.Bytes()
}

// versions returns n versions of a lock of 400 entries, each changing a
// few entries of the one before (some added or removed).
func versions(seed uint64, n int) [][]byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	entries := make([]int, 400)
	var out [][]byte
	for range n {
		for range 1 + rng.IntN(6) {
			i := rng.IntN(len(entries))
			switch rng.IntN(5) {
			case 0:
				entries = append(entries[:i], entries[i+1:]...)
			case 1:
				entries = append(entries[:i], append([]int{rng.IntN(9)}, entries[i:]...)...)
			default:
				entries[i] += 1 + rng.IntN(3)
			}
		}
		out = append(out, lockText(entries))
	}
	return out
}

// commitVersions commits each version of advisories/python.lock.json in a
// new repository at dir, by git commit (loose objects), and returns the
// versions' blob hashes.
func commitVersions(t testing.TB, dir string, vs [][]byte) []string {
	git(t, dir, nil, "init", "-q", "-b", "main")
	file := filepath.Join(dir, "advisories", "python.lock.json")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	var blobs []string
	for i, v := range vs {
		if err := os.WriteFile(file, v, 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, dir, nil, "add", "-A")
		git(t, dir, nil, "commit", "-q", "-m", fmt.Sprintf("version %d", i))
		blobs = append(blobs, strings.TrimSpace(string(git(t, dir, nil, "rev-parse", "HEAD:advisories/python.lock.json"))))
	}
	return blobs
}

// fastImport makes a repository at dir by one git fast-import, as gendb
// does, and returns the versions' blob hashes.
func fastImport(t testing.TB, dir string, vs [][]byte) []string {
	git(t, dir, nil, "init", "-q", "-b", "main")
	var in bytes.Buffer
	for i, v := range vs {
		fmt.Fprintf(&in, "commit refs/heads/main\ncommitter PSRT <psrt@example.org> %d +0000\ndata 2\nv\n", 1700000000+i)
		fmt.Fprintf(&in, "M 100644 inline advisories/python.lock.json\ndata %d\n%s\n", len(v), v)
	}
	git(t, dir, in.Bytes(), "-c", "fastimport.unpackLimit=0", "fast-import", "--quiet") // packed however few the objects
	git(t, dir, nil, "reset", "-q", "--hard", "main")
	var blobs []string
	for i := range vs {
		rev := fmt.Sprintf("main~%d:advisories/python.lock.json", len(vs)-1-i)
		blobs = append(blobs, strings.TrimSpace(string(git(t, dir, nil, "rev-parse", rev))))
	}
	return blobs
}

// checkPieces: every blob read as pieces is git's bytes, and some are
// read through deltas (more than one piece, or a root not their own).
// With maxHeld set, roots larger are read from temporary files (1: all
// of them).
func checkPieces(t *testing.T, dir string, blobs []string, maxHeld int) (deltas int) {
	t.Helper()
	s, err := Open(filepath.Join(dir, ".git"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	s.MaxHeldRoot = maxHeld
	own := map[*Root]bool{}
	for i := len(blobs) - 1; i >= 0; i-- { // the walk's order: newest first
		c, err := s.Blob(plumbing.NewHash(blobs[i]))
		if err != nil {
			t.Fatalf("version %d: %v", i, err)
		}
		want := git(t, dir, nil, "cat-file", "blob", blobs[i])
		if got := contentBytes(t, c); !bytes.Equal(got, want) {
			t.Fatalf("version %d (%s): pieces give %d bytes, git %d", i, blobs[i], len(got), len(want))
		}
		if inFile := c.Root.Size() > maxHeld && maxHeld > 0; c.Root.InFile() != inFile {
			t.Fatalf("version %d: a root of %d bytes in a file: %v, with %d held", i, c.Root.Size(), c.Root.InFile(), maxHeld)
		}
		if len(c.Pieces) == 1 && c.Pieces[0].Src == 0 && c.Pieces[0].Len == c.Root.Size() && !own[c.Root] {
			own[c.Root] = true
			continue
		}
		deltas++
	}
	return deltas
}

// TestPiecesAreGitsBytes: in repositories packed every way git packs
// them (repack with several depths and windows, fast-import's pack,
// REF_DELTA bases, a thin pack fixed by index-pack), every version of the
// lock read as pieces is the bytes git cat-file gives, its roots held or
// read from temporary files.
func TestPiecesAreGitsBytes(t *testing.T) {
	vs := versions(1, 24)
	for _, tc := range []struct {
		name string
		pack func(t *testing.T, dir string) []string
	}{
		{"repack depth 50 window 10", repack(nil, "--depth=50", "--window=10")},
		{"repack depth 3 window 250", repack(nil, "--depth=3", "--window=250")},
		{"repack depth 1", repack(nil, "--depth=1")},
		{"repack REF_DELTA", repack([]string{"-c", "repack.useDeltaBaseOffset=false"}, "--depth=50")},
		{"fast-import", func(t *testing.T, dir string) []string { return fastImport(t, dir, vs) }},
		{"fast-import then repack", func(t *testing.T, dir string) []string {
			blobs := fastImport(t, dir, vs)
			git(t, dir, nil, "repack", "-adfq", "--depth=10")
			return blobs
		}},
		{"thin pack fixed", func(t *testing.T, dir string) []string { return thinPack(t, dir, vs) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var blobs []string
			if strings.HasPrefix(tc.name, "repack") {
				blobs = commitVersions(t, dir, vs)
				tc.pack(t, dir)
			} else {
				blobs = tc.pack(t, dir)
			}
			for _, maxHeld := range []int{0, 1} { // roots held, roots in files
				if n := checkPieces(t, dir, blobs, maxHeld); n < len(blobs)/2 {
					t.Errorf("only %d of %d versions read through deltas: the pack tests little", n, len(blobs))
				}
			}
		})
	}
}

// repack packs a repository by git repack -adf with the given options.
func repack(config []string, opts ...string) func(t *testing.T, dir string) []string {
	return func(t *testing.T, dir string) []string {
		git(t, dir, nil, append(append(config, "repack", "-adfq"), opts...)...)
		return nil
	}
}

// thinPack makes a repository holding the first half of the versions
// packed, then receives the rest as a thin pack (deltas against objects
// it has, by hash) that index-pack completes with their bases.
func thinPack(t *testing.T, dir string, vs [][]byte) []string {
	src := filepath.Join(t.TempDir(), "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	blobs := commitVersions(t, src, vs)
	half := strings.TrimSpace(string(git(t, src, nil, "rev-parse", fmt.Sprintf("HEAD~%d", len(vs)/2))))
	git(t, dir, nil, "init", "-q", "-b", "main")
	git(t, dir, nil, "fetch", "-q", src, half+":refs/heads/old")
	git(t, dir, nil, "repack", "-adfq")
	thin := git(t, src, []byte("HEAD\n^"+half+"\n"), "pack-objects", "--revs", "--thin", "--stdout", "-q")
	git(t, dir, thin, "index-pack", "--stdin", "--fix-thin")
	return blobs
}

// TestNotAvailable: loose objects, no packs at all, an unknown hash and
// an alternates repository are not read from packs (the caller reads them
// another way).
func TestNotAvailable(t *testing.T) {
	vs := versions(2, 4)
	dir := t.TempDir()
	blobs := commitVersions(t, dir, vs)
	if _, err := Open(filepath.Join(dir, ".git")); !errors.Is(err, ErrNotAvailable) {
		t.Errorf("no packs: %v, want not available", err)
	}
	git(t, dir, nil, "repack", "-adq")
	if err := os.WriteFile(filepath.Join(dir, "advisories", "python.lock.json"), []byte("loose\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, nil, "add", "-A")
	git(t, dir, nil, "commit", "-q", "-m", "loose")
	loose := strings.TrimSpace(string(git(t, dir, nil, "rev-parse", "HEAD:advisories/python.lock.json")))
	s, err := Open(filepath.Join(dir, ".git"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, h := range []string{loose, strings.Repeat("0", 40)} {
		if _, err := s.Blob(plumbing.NewHash(h)); !errors.Is(err, ErrNotAvailable) {
			t.Errorf("blob %s: %v, want not available", h, err)
		}
	}
	tree := strings.TrimSpace(string(git(t, dir, nil, "rev-parse", "HEAD~1^{tree}")))
	if _, err := s.Blob(plumbing.NewHash(tree)); !errors.Is(err, ErrNotAvailable) {
		t.Errorf("a tree read as a blob: %v, want not available", err)
	}
	if _, err := s.Blob(plumbing.NewHash(blobs[0])); err != nil {
		t.Errorf("packed blob: %v", err)
	}
	alt := filepath.Join(dir, ".git", "objects", "info", "alternates")
	if err := os.WriteFile(alt, []byte("/nowhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(dir, ".git")); !errors.Is(err, ErrNotAvailable) {
		t.Errorf("alternates: %v, want not available", err)
	}
}

// TestCorruptPack: a pack with damaged bytes anywhere reads as git's
// bytes or not at all, and never panics.
func TestCorruptPack(t *testing.T) {
	vs := versions(3, 8)
	dir := t.TempDir()
	blobs := commitVersions(t, dir, vs)
	git(t, dir, nil, "repack", "-adfq")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("%d packs", len(packs))
	}
	good, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for _, b := range blobs {
		want[b] = git(t, dir, nil, "cat-file", "blob", b)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for range 60 {
		writeDamaged(t, packs[0], good, rng)
		s, err := Open(filepath.Join(dir, ".git"))
		if err != nil {
			continue
		}
		for _, b := range blobs {
			c, err := s.Blob(plumbing.NewHash(b))
			if err != nil {
				continue
			}
			if got, err := c.Bytes(); err == nil && !bytes.Equal(got, want[b]) {
				// A flipped bit inside a stored (uncompressed) deflate
				// block can pass zlib's checksum only by chance; an
				// insert's bytes changed are what git would read too.
				t.Logf("blob %s read differently from a damaged pack", b)
			}
		}
		s.Close()
	}
}

// writeDamaged writes good to path with one to four random bytes changed,
// past the pack's 12-byte header and before its 20-byte trailer.
func writeDamaged(t *testing.T, path string, good []byte, rng *rand.Rand) {
	t.Helper()
	bad := bytes.Clone(good)
	for range 1 + rng.IntN(4) {
		bad[12+rng.IntN(len(bad)-32)] ^= byte(1 + rng.IntN(255))
	}
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
}
