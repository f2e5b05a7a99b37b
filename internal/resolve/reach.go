package resolve

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/psf/advisory-builder/internal/gitgraph"
)

// fullTableBudget bounds the table of every commit's containing tips: when
// it fits, the table is filled in one reverse topological pass; beyond it
// (a repository with very many tags), tips are computed on demand for the
// commits asked about, so memory grows with commits, not with commits x
// tags.
var fullTableBudget = 64 << 20

// demandChunk is how many commits one on-demand pass answers at once: its
// scratch table is (commits) x demandChunk bits.
const demandChunk = 512

// reach tells which tips contain a commit.
//
// The full table shares rows: a commit with exactly one child and no tip
// of its own is contained in exactly the tips that contain that child, so
// it takes the child's row. Only tip commits and commits with several
// children (forks, merged-in commits) have rows of their own, and a commit
// without children or tips has the empty row 0: a few thousand rows for
// CPython's 150,000 commits, instead of one per commit. Its words:
//
//	word 0                  commits (low 32 bits) and rows (high 32 bits)
//	words 1 .. (n+1)/2      the row of each commit, two uint32 to a word
//	then                    the rows, words each, row 0 empty
type reach struct {
	g    *gitgraph.Graph
	tips []uint32 // commit of each tip
	// full, when set, is the shared-row table (mapped from the cache and
	// checked as it is read, or computed).
	full    *gitgraph.Table
	words   int // words per row
	rowBase int // the first word of row 0
	// memo holds the rows computed on demand (when full is nil).
	memo map[uint32]bitset
}

func newReach(g *gitgraph.Graph, tips []uint32) reach {
	rc := reach{g: g, tips: tips, words: (len(tips) + 63) / 64, rowBase: 1 + (g.Len()+1)/2}
	// The table depends on the graph and the tips only: cached with the
	// graph, it is mapped by later runs instead of recomputed.
	name := fmt.Sprintf("resolve tips v2 %d %x", len(tips), tipsDigest(tips))
	build := func() []uint64 { return buildTipTable(g, tips) }
	rc.full = g.Table(name, build)
	if rc.full != nil && !rc.sound() { // never trusted: a checksum can only catch damage
		rc.full = gitgraph.TableOf(build())
	}
	if rc.full == nil {
		rc.memo = map[uint32]bitset{}
	}
	return rc
}

// tipsDigest is the SHA-256 of the tips' commit numbers, 4 little-endian
// bytes each.
func tipsDigest(tips []uint32) []byte {
	b := make([]byte, 0, 4*len(tips))
	for _, c := range tips {
		b = binary.LittleEndian.AppendUint32(b, c)
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// Commit kinds while the table is built: children counted up to 2, and a
// flag for a tip commit; a commit has a row of its own iff kind >= 2.
const (
	oneChild  = 1
	tipCommit = 4
)

// buildTipTable fills the shared-row table in one reverse topological pass,
// or returns nil when it would pass fullTableBudget.
func buildTipTable(g *gitgraph.Graph, tips []uint32) []uint64 {
	n, w := g.Len(), (len(tips)+63)/64
	kind := make([]uint8, n)
	only := make([]uint32, n) // the child of a commit with one child
	for c := range n {
		for _, p := range g.Parents(uint32(c)) {
			if kind[p] < 2 {
				kind[p]++
			}
			only[p] = uint32(c)
		}
	}
	for _, c := range tips {
		kind[c] |= tipCommit
	}
	rowsUsed := 1
	for _, k := range kind {
		if k >= 2 {
			rowsUsed++
		}
	}
	rowBase := 1 + (n+1)/2
	size := rowBase + rowsUsed*w
	if uint64(size)*8 > uint64(fullTableBudget) {
		return nil
	}
	data := make([]uint64, size)
	data[0] = uint64(n) | uint64(rowsUsed)<<32
	ids := make([]uint32, n)
	row := func(id uint32) bitset { return bitset(data[rowBase+int(id)*w : rowBase+int(id+1)*w]) }
	next := uint32(1)
	for c, k := range kind {
		if k >= 2 {
			ids[c] = next
			next++
		}
	}
	for t, c := range tips {
		row(ids[c]).set(t)
	}
	for c := n - 1; c >= 0; c-- {
		if kind[c] == oneChild {
			ids[c] = ids[only[c]]
		}
		r := row(ids[c])
		for _, p := range g.Parents(uint32(c)) {
			if kind[p] >= 2 {
				row(ids[p]).or(r)
			}
		}
	}
	for c, id := range ids {
		data[1+c/2] |= uint64(id) << (32 * (c % 2))
	}
	return data
}

// sound checks a mapped table's shape: its commit count, its length, and
// every commit's row in range.
func (rc *reach) sound() bool {
	t, n := rc.full, rc.g.Len()
	if t.Len() < rc.rowBase {
		return false
	}
	head := t.Words(0, 1)[0]
	rowsUsed := int(head >> 32)
	if int(uint32(head)) != n || rowsUsed < 1 || t.Len() != rc.rowBase+rowsUsed*rc.words {
		return false
	}
	for _, w := range t.Words(1, rc.rowBase) {
		if int(uint32(w)) >= rowsUsed || int(w>>32) >= rowsUsed {
			return false
		}
	}
	return true
}

// rowOf returns the row number of commit c in the full table.
func (rc *reach) rowOf(c uint32) int {
	w := rc.full.Words(1+int(c/2), 2+int(c/2))[0]
	return int(uint32(w >> (32 * (c % 2))))
}

// tipsOf returns the tips containing commit c; read only (the table may be
// a read-only mapping of the cache).
func (rc *reach) tipsOf(c uint32) bitset {
	if rc.full != nil {
		lo := rc.rowBase + rc.rowOf(c)*rc.words
		return bitset(rc.full.Words(lo, lo+rc.words))
	}
	if b, ok := rc.memo[c]; ok {
		return b
	}
	rc.prepare([]uint32{c})
	return rc.memo[c]
}

// prepare computes, in as few passes as it can, the rows of the commits
// about to be asked about (Origin and known ones are skipped).
func (rc *reach) prepare(commits []uint32) {
	if rc.full != nil {
		return
	}
	var todo []uint32
	for _, c := range commits {
		if _, ok := rc.memo[c]; !ok && c != Origin {
			todo = append(todo, c)
		}
	}
	slices.Sort(todo)
	todo = slices.Compact(todo)
	for len(todo) > 0 {
		k := min(len(todo), demandChunk)
		rc.computeRows(todo[:k])
		todo = todo[k:]
	}
}

// computeRows fills the rows of qs (sorted, distinct) with one forward
// topological pass from the first of them: each commit gets the set of qs
// in its history, and each tip's set tells which of qs it contains.
func (rc *reach) computeRows(qs []uint32) {
	lo := int(qs[0])
	n := rc.g.Len()
	w := (len(qs) + 63) / 64
	anc := make([]uint64, (n-lo)*w)
	row := func(c int) bitset { return bitset(anc[(c-lo)*w : (c-lo+1)*w]) }
	next := 0
	for c := lo; c < n; c++ {
		r := row(c)
		for _, p := range rc.g.Parents(uint32(c)) {
			if int(p) >= lo {
				r.or(row(int(p)))
			}
		}
		if next < len(qs) && int(qs[next]) == c {
			r.set(next)
			next++
		}
	}
	out := make([]bitset, len(qs))
	for k, q := range qs {
		out[k] = newBitset(len(rc.tips))
		rc.memo[q] = out[k]
	}
	for t, c := range rc.tips {
		if int(c) < lo {
			continue
		}
		for wi, word := range row(int(c)) {
			for word != 0 {
				bit := wi*64 + bitsTrailing(word)
				out[bit].set(t)
				word &= word - 1
			}
		}
	}
}
