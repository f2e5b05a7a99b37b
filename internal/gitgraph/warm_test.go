package gitgraph_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
)

// TestPeelWithCatFile: refs read with one git cat-file --batch (annotated
// tags, a tag of a tag, lightweight tags, with and without a commit-graph)
// give the graph go-git gives, tag dates included.
func TestPeelWithCatFile(t *testing.T) {
	for _, commitGraph := range []bool{false, true} {
		dir := t.TempDir()
		r := gittest.CPython(t, dir, true)
		r.Tag("v9.9.9", "m1", true)
		gitCmd(t, dir, "tag", "-a", "-m", "a tag of a tag", "v9.9.10", "v9.9.9")
		if commitGraph {
			gitCmd(t, dir, "commit-graph", "write", "--reachable")
		}
		old := gitgraph.SetCatFileMin(1 << 30)
		byGoGit := open(t, dir, gitgraph.Options{NoCache: true})
		gitgraph.SetCatFileMin(0)
		byGit := open(t, dir, gitgraph.Options{NoCache: true})
		gitgraph.SetCatFileMin(old)
		sameGraph(t, byGit, byGoGit)
		annotated := 0
		for _, ref := range byGit.Refs() {
			if ref.Annotated {
				annotated++
			}
		}
		if annotated < 3 {
			t.Fatalf("commit-graph %v: %d annotated tags; the test needs some", commitGraph, annotated)
		}
	}
}

// TestPatchIDCache: a patch identity is computed once and then read from
// the cache directory, by any later run, whatever its refs; a damaged
// record is ignored (recomputed), never trusted; --no-cache writes none.
func TestPatchIDCache(t *testing.T) {
	dir := t.TempDir()
	r := gittest.New(t, dir, true)
	r.CommitFiles("one", "Initial", map[string]string{"a.py": "x\n"})
	r.CommitFiles("two", "gh-1: Change (#2)", map[string]string{"a.py": "y\n"}, "one")
	r.Branch("main", "two")
	r.Head("main")
	cache := t.TempDir()
	patchID := func(opts gitgraph.Options) string {
		t.Helper()
		g := open(t, dir, opts)
		defer g.Close()
		c, err := g.Lookup(r.Hex("two"))
		if err != nil {
			t.Fatal(err)
		}
		id, err := g.PatchID(c)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	want := patchID(gitgraph.Options{NoCache: true})
	if files, _ := filepath.Glob(filepath.Join(cache, "*")); len(files) != 0 {
		t.Fatalf("--no-cache wrote %v", files)
	}
	if got := patchID(gitgraph.Options{CacheDir: cache}); got != want {
		t.Fatalf("computed with a cache: %s, want %s", got, want)
	}
	path := filepath.Join(cache, gitgraph.PatchCacheName)
	rec, err := os.ReadFile(path)
	if err != nil || len(rec) != 56 {
		t.Fatalf("cache file: %d bytes, %v", len(rec), err)
	}
	// A record for the commit with another identity and a valid checksum
	// would be trusted; one with a broken checksum must not be: replace the
	// identity, keep the old checksum.
	bad := append([]byte(nil), rec...)
	bad[30] ^= 1
	os.WriteFile(path, bad, 0o644)
	if got := patchID(gitgraph.Options{CacheDir: cache}); got != want {
		t.Fatalf("a damaged record was trusted: %s, want %s", got, want)
	}
	// A valid record is what a later run answers, with other refs too (it
	// reads no objects): forge one to see it is the cache that answers.
	forged := append([]byte(nil), rec[:20]...)
	forged = append(forged, bytes.Repeat([]byte{0x11}, 32)...)
	forged = binary.LittleEndian.AppendUint32(forged, crc32.Checksum(forged, crc32.MakeTable(crc32.Castagnoli)))
	os.WriteFile(path, forged, 0o644)
	r.Commit("three", "Another ref, another graph key", "two")
	r.Branch("other", "three")
	if got := patchID(gitgraph.Options{CacheDir: cache}); got != strings.Repeat("11", 32) {
		t.Fatalf("with a cached identity: %s, want it from the cache", got)
	}
}

// TestComputingCalledOnlyForWork: Options.Computing is called before a
// load from the repository and before a table is computed, never when the
// cache serves both, and at most once.
func TestComputingCalledOnlyForWork(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	gittest.CPython(t, dir, true)
	calls := 0
	opts := gitgraph.Options{CacheDir: cache, Computing: func() { calls++ }}
	words := func() []uint64 { return []uint64{1, 2, 3} }
	g, err := gitgraph.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	g.Table("t", words)
	if calls != 1 {
		t.Fatalf("cold open and a new table: Computing called %d times, want 1", calls)
	}
	calls = 0
	g, err = gitgraph.Open(dir, opts)
	if err != nil || !g.FromCache {
		t.Fatalf("warm open: %v (from cache %v)", err, g != nil && g.FromCache)
	}
	g.Table("t", words).Words(0, 3)
	if calls != 0 {
		t.Fatalf("warm open and a cached table: Computing called %d times, want 0", calls)
	}
	g.Table("another", words)
	if calls != 1 {
		t.Fatalf("warm open and a new table: Computing called %d times, want 1", calls)
	}
}
