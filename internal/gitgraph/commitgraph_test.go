package gitgraph_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
)

// TestCommitGraphChain: a split commit-graph (two layers) plus commits
// newer than it (a merge among them) load exactly as from the objects.
func TestCommitGraphChain(t *testing.T) {
	dir := t.TempDir()
	gittest.CPython(t, dir, true)
	plain := open(t, dir, gitgraph.Options{NoCache: true})
	gitCmd(t, dir, "commit-graph", "write", "--reachable", "--split")
	commit := func(msg string, parents ...string) string {
		args := []string{"commit-tree", "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "-m", msg}
		for _, p := range parents {
			args = append(args, "-p", p)
		}
		return strings.TrimSpace(gitCmd(t, dir, args...))
	}
	c1 := commit("layer two", "main")
	gitCmd(t, dir, "update-ref", "refs/heads/main", c1)
	gitCmd(t, dir, "commit-graph", "write", "--reachable", "--split=no-merge")
	if _, err := os.Stat(filepath.Join(dir, "objects", "info", "commit-graphs", "commit-graph-chain")); err != nil {
		t.Fatal(err)
	}
	if chain, _ := os.ReadFile(filepath.Join(dir, "objects", "info", "commit-graphs", "commit-graph-chain")); len(strings.Fields(string(chain))) != 2 {
		t.Fatalf("want a chain of two layers, got %q", chain)
	}
	c2 := commit("outside the graph", c1)
	c3 := commit("merge outside the graph", c2, "3.10")
	gitCmd(t, dir, "update-ref", "refs/heads/main", c3)
	g := open(t, dir, gitgraph.Options{NoCache: true})
	if !g.UsedCommitGraph || g.Len() != plain.Len()+3 {
		t.Fatalf("used %v, %d commits (plain %d)", g.UsedCommitGraph, g.Len(), plain.Len())
	}
	os.RemoveAll(filepath.Join(dir, "objects", "info", "commit-graphs"))
	sameGraph(t, g, open(t, dir, gitgraph.Options{NoCache: true}))
	for _, h := range []string{c1, c2, c3, c3[:9]} {
		if _, err := g.Lookup(h); err != nil {
			t.Errorf("Lookup(%s): %v", h, err)
		}
	}
}

// TestTableCache: a table is computed once, mapped by the next run, and
// recomputed (never trusted) when its file is damaged.
func TestTableCache(t *testing.T) {
	dir := t.TempDir()
	gittest.CPython(t, dir, true)
	cache := t.TempDir()
	calls := 0
	fill := func() []uint64 {
		calls++
		d := make([]uint64, 1000)
		for k := range d {
			d[k] = uint64(k) * 3
		}
		return d
	}
	check := func(table *gitgraph.Table) {
		t.Helper()
		for k, v := range table.Words(0, table.Len()) {
			if v != uint64(k)*3 {
				t.Fatalf("table[%d] = %d", k, v)
			}
		}
	}
	check(open(t, dir, gitgraph.Options{CacheDir: cache}).Table("t", fill))
	check(open(t, dir, gitgraph.Options{CacheDir: cache}).Table("t", fill))
	if calls != 1 {
		t.Fatalf("computed %d times, want once", calls)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "*.table"))
	if len(files) != 1 {
		t.Fatalf("table files %v", files)
	}
	data, _ := os.ReadFile(files[0])
	data[100] ^= 1
	os.WriteFile(files[0], data, 0o644)
	check(open(t, dir, gitgraph.Options{CacheDir: cache}).Table("t", fill))
	if calls != 2 {
		t.Fatalf("a damaged table was trusted")
	}
}

// TestTablePagesCheckedOnRead: a mapped table checks each 4 KiB page when
// it is first read: damage on a page never read costs nothing, damage on a
// page read makes the table be recomputed (and rewritten) before that page
// is used; a short file is recomputed at once.
func TestTablePagesCheckedOnRead(t *testing.T) {
	dir := t.TempDir()
	gittest.CPython(t, dir, true)
	cache := t.TempDir()
	const words = 4 * 512
	calls := 0
	fill := func() []uint64 {
		calls++
		d := make([]uint64, words)
		for k := range d {
			d[k] = uint64(k) + 7
		}
		return d
	}
	table := func() *gitgraph.Table {
		return open(t, dir, gitgraph.Options{CacheDir: cache}).Table("pages", fill)
	}
	table()
	files, _ := filepath.Glob(filepath.Join(cache, "*.table"))
	if len(files) != 1 {
		t.Fatalf("table files %v", files)
	}
	good, _ := os.ReadFile(files[0])
	damaged := slices.Clone(good)
	damaged[3*512*8+5] ^= 0x40 // a word on the fourth page
	os.WriteFile(files[0], damaged, 0o644)

	tab := table()
	if w := tab.Words(0, 3*512); calls != 1 || w[100] != 107 {
		t.Fatalf("reading the sound pages: %d computations, word 100 = %d", calls, w[100])
	}
	if w := tab.Words(3*512, 3*512+10); calls != 2 || w[0] != 3*512+7 {
		t.Fatalf("reading the damaged page: %d computations, word = %d; want it recomputed", calls, w[0])
	}
	if again, _ := os.ReadFile(files[0]); !bytes.Equal(again, good) {
		t.Errorf("the damaged file was not rewritten")
	}
	os.WriteFile(files[0], good[:len(good)-8], 0o644)
	if w := table().Words(0, words); calls != 3 || w[words-1] != words-1+7 {
		t.Fatalf("a short table file: %d computations", calls)
	}
}
