package resolve

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/gitgraph/synth"
	"github.com/psf/advisory-builder/internal/version"
)

// rowPerCommit is the definition the shared-row table must agree with:
// D(c) = tips at c ∪ D(children), one row per commit, in one reverse pass.
func rowPerCommit(g *gitgraph.Graph, tips []uint32) []bitset {
	d := make([]bitset, g.Len())
	for c := range d {
		d[c] = newBitset(len(tips))
	}
	for t, c := range tips {
		d[c].set(t)
	}
	for c := g.Len() - 1; c >= 0; c-- {
		for _, p := range g.Parents(uint32(c)) {
			d[p].or(d[c])
		}
	}
	return d
}

// sameTips fails unless r answers tipsOf like the definition, for every
// commit.
func sameTips(t *testing.T, r *Resolver, what string) {
	t.Helper()
	want := rowPerCommit(r.g, r.tipCommits())
	for c := range want {
		got := r.reach.tipsOf(uint32(c))
		if len(got) != len(want[c]) {
			t.Fatalf("%s: commit %d: row of %d words, want %d", what, c, len(got), len(want[c]))
		}
		for k := range got {
			if got[k] != want[c][k] {
				t.Fatalf("%s: commit %d: tips %x, want %x", what, c, []uint64(got), []uint64(want[c]))
			}
		}
	}
}

// TestSharedRowsMatchDefinition: the shared-row tip table (computed, then
// mapped from the cache) gives every commit exactly the tips that contain
// it, on the hand-made CPython history (merges, a tag on a merge's second
// parent, a deleted branch) and on a generated one with several roots and
// forward merges; and it has far fewer rows than commits.
func TestSharedRowsMatchDefinition(t *testing.T) {
	re := regexp.MustCompile(version.DefaultTagPattern)
	small := t.TempDir()
	gittest.CPython(t, small, true)
	big := t.TempDir()
	if _, _, err := synth.Create(big, synth.Params{Commits: 3000, Series: 8, Live: 3, ReleaseEvery: 20, FixRate: 0.05, MergeRate: 0.05, Roots: 2, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{small, big} {
		cache := t.TempDir()
		for _, run := range []string{"no cache", "cold", "warm"} {
			g, err := gitgraph.Open(dir, gitgraph.Options{CacheDir: cache, NoCache: run == "no cache"})
			if err != nil {
				t.Fatal(err)
			}
			r := NewForGraph(g, re)
			if r.reach.full == nil {
				t.Fatalf("%s: no table", run)
			}
			sameTips(t, r, filepath.Base(dir)+" "+run)
			if rows := int(r.reach.full.Words(0, 1)[0] >> 32); dir == big && rows*10 > g.Len() {
				t.Errorf("%d rows for %d commits", rows, g.Len())
			}
		}
	}
}

// TestSharedRowsRefuseBadShape: a table whose checksums could hold but
// whose shape does not (another commit count, a row past the end, rows
// past the table's end) is refused by sound, so newReach recomputes it.
func TestSharedRowsRefuseBadShape(t *testing.T) {
	dir := t.TempDir()
	gittest.CPython(t, dir, true)
	g, err := gitgraph.Open(dir, gitgraph.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	r := NewForGraph(g, regexp.MustCompile(version.DefaultTagPattern))
	good := r.reach.full.Words(0, r.reach.full.Len())
	if !r.reach.sound() {
		t.Fatal("a sound table refused")
	}
	for _, bad := range []struct {
		name  string
		spoil func(d []uint64) []uint64
	}{
		{"commit count", func(d []uint64) []uint64 { d[0]++; return d }},
		{"row out of range", func(d []uint64) []uint64 { d[1] |= 0xffff; return d }},
		{"odd commit's row out of range", func(d []uint64) []uint64 { d[1] |= 0xffff << 32; return d }},
		{"rows past the end", func(d []uint64) []uint64 { d[0] += 1 << 32; return d }},
		{"no rows", func(d []uint64) []uint64 { d[0] = uint64(uint32(d[0])); return d }},
		{"short", func(d []uint64) []uint64 { return d[:len(d)-1] }},
		{"only a header", func(d []uint64) []uint64 { return d[:1] }},
	} {
		rc := r.reach
		rc.full = gitgraph.TableOf(bad.spoil(append([]uint64(nil), good...)))
		if rc.sound() {
			t.Errorf("%s: accepted", bad.name)
		}
	}
}

// TestTipsDigestDefinition holds tipsDigest (part of the cached table's
// name) to its definition, written with binary.Write as it first was.
func TestTipsDigestDefinition(t *testing.T) {
	for _, tips := range [][]uint32{nil, {0}, {7, 1 << 20, 150000, 3}} {
		h := sha256.New()
		for _, c := range tips {
			binary.Write(h, binary.LittleEndian, c)
		}
		if got, want := tipsDigest(tips), h.Sum(nil); !bytes.Equal(got, want) {
			t.Errorf("tipsDigest(%v) = %x, want %x", tips, got, want)
		}
	}
}
