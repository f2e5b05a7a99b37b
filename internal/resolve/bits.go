package resolve

import "math/bits"

// bitset is a fixed-size set of small integers.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }

// count is the number of members.
func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b bitset) or(o bitset) {
	for k := range b {
		b[k] |= o[k]
	}
}

func (b bitset) andNot(o bitset) {
	for k := range b {
		b[k] &^= o[k]
	}
}

// rows is a table of equally sized bitsets, one per commit, in one block.
type rows struct {
	words int
	data  []uint64
}

func newRows(n, width int) rows {
	w := (width + 63) / 64
	return rows{words: w, data: make([]uint64, n*w)}
}

func (r rows) row(i uint32) bitset { return bitset(r.data[int(i)*r.words : int(i+1)*r.words]) }

func bitsTrailing(w uint64) int { return bits.TrailingZeros64(w) }
