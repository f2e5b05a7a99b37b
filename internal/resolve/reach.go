package resolve

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/psf/advisory-builder/internal/gitgraph"
)

// fullTableBudget bounds the table of every commit's containing tips: when
// commits x tips bits fit, the table is filled in one reverse topological
// pass; beyond it (a repository with very many tags), tips are computed on
// demand for the commits asked about, so memory grows with commits, not with
// commits x tags.
var fullTableBudget = 64 << 20

// demandChunk is how many commits one on-demand pass answers at once: its
// scratch table is (commits) x demandChunk bits.
const demandChunk = 512

// reach tells which tips contain a commit.
type reach struct {
	g    *gitgraph.Graph
	tips []uint32 // commit of each tip
	// full, when set, holds a row of words per commit (mapped from the
	// cache and checked as it is read, or computed).
	full  *gitgraph.Table
	words int
	// memo holds the rows computed on demand (when full is nil).
	memo map[uint32]bitset
}

func newReach(g *gitgraph.Graph, tips []uint32) reach {
	rc := reach{g: g, tips: tips}
	n := g.Len()
	if uint64(n)*uint64((len(tips)+63)/64)*8 > uint64(fullTableBudget) {
		rc.memo = map[uint32]bitset{}
		return rc
	}
	w := (len(tips) + 63) / 64
	// The table depends on the graph and the tips only: cached with the
	// graph, it is mapped by later runs instead of recomputed.
	name := fmt.Sprintf("resolve tips v1 %d %x", len(tips), tipsDigest(tips))
	rc.words = w
	rc.full = g.Table(name, n*w, func(data []uint64) {
		d := rows{words: w, data: data}
		for t, c := range tips {
			d.row(c).set(t)
		}
		for c := n - 1; c >= 0; c-- {
			row := d.row(uint32(c))
			for _, p := range g.Parents(uint32(c)) {
				d.row(p).or(row)
			}
		}
	})
	return rc
}

func tipsDigest(tips []uint32) []byte {
	h := sha256.New()
	for _, c := range tips {
		binary.Write(h, binary.LittleEndian, c)
	}
	return h.Sum(nil)
}

// tipsOf returns the tips containing commit c; read only (the table may be
// a read-only mapping of the cache).
func (rc *reach) tipsOf(c uint32) bitset {
	if rc.full != nil {
		return bitset(rc.full.Words(int(c)*rc.words, int(c+1)*rc.words))
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
