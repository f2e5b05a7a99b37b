package gitpack

import (
	"errors"
	"sort"
)

// Piece is a part of an object's content: Len bytes at Off of its root
// (Src 0), or of the inserted bytes numbered Src (a delta's data). It
// holds no pointer, so long lists of pieces cost the collector nothing.
type Piece struct {
	Src, Off, Len int
}

// Content is an object's bytes as pieces of one root and of inserted
// bytes, in order; adjacent ranges of the root are one piece.
type Content struct {
	Root   *Root
	Pieces []Piece
	Size   int
	lits   [][]byte // inserted bytes: Src k is lits[k-1]
	starts []int    // starts[i]: where Pieces[i] begins in the content
}

// NewContent starts an empty content over root (for building one piece
// by piece: AppendRoot, Literal).
func NewContent(r *Root) *Content { return &Content{Root: r} }

// Literal registers b as inserted bytes of c and returns the piece that
// stands for all of them (not appended).
func (c *Content) Literal(b []byte) Piece {
	c.lits = append(c.lits[:len(c.lits):len(c.lits)], b)
	return Piece{Src: len(c.lits), Len: len(b)}
}

// Inserted is the bytes an inserted piece of c (Src not 0) stands for;
// nil for a range of the root (read with Root.Slice or Root.ReadAt).
func (c *Content) Inserted(p Piece) []byte {
	if p.Src == 0 {
		return nil
	}
	return c.lits[p.Src-1][p.Off : p.Off+p.Len]
}

// Bytes materialises the content (its root's ranges read as Root.Slice
// reads them).
func (c *Content) Bytes() ([]byte, error) {
	out := make([]byte, 0, c.Size)
	for _, p := range c.Pieces {
		if p.Src != 0 {
			out = append(out, c.Inserted(p)...)
			continue
		}
		b, err := c.Root.Slice(p.Off, p.Len, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

// ErrFragmented says a content would be more pieces than the bound
// (Store.MaxPieces): not available, and likely no other version of its
// chain is either.
var ErrFragmented = errors.New("gitpack: too many pieces")

// maxPieces bounds a content's pieces unless the Store is told a bound
// (MaxPieces): millions mean a pathological chain.
const maxPieces = 1 << 22

// whole is a root's content: one piece, all of it.
func whole(r *Root) *Content {
	c := &Content{Root: r, Size: r.Size()}
	if r.Size() > 0 {
		c.Pieces = []Piece{{Len: r.Size()}}
	}
	c.index()
	return c
}

// index sets starts.
func (c *Content) index() {
	c.starts = make([]int, len(c.Pieces))
	at := 0
	for i, p := range c.Pieces {
		c.starts[i] = at
		at += p.Len
	}
}

// apply is the content of a delta's target over base: each insert a
// piece of the delta's data (added to base's inserted bytes), each copy
// the base's pieces over its range.
func apply(base *Content, target int, delta []byte, ops []op, limit int) (*Content, error) {
	n := base.countPieces(ops)
	if n > limit {
		return nil, ErrFragmented
	}
	out := &Content{Root: base.Root, Size: target, Pieces: make([]Piece, 0, n), lits: base.lits}
	src := out.Literal(delta).Src
	hint := 0
	for _, o := range ops {
		if o.insert {
			out.Pieces = append(out.Pieces, Piece{Src: src, Off: o.off, Len: o.n})
		} else {
			hint = base.appendRange(out, o.off, o.n, hint)
		}
	}
	out.Size = target
	out.index()
	return out, nil
}

// countPieces is how many pieces applying ops over c gives at most (before
// ranges that meet are joined), so that the list is made once.
func (c *Content) countPieces(ops []op) int {
	n, hint := 0, 0
	for _, o := range ops {
		if o.insert {
			n++
			continue
		}
		first := c.pieceAt(o.off, hint)
		hint = c.pieceAt(o.off+o.n-1, first)
		n += hint - first + 1
	}
	return n
}

// pieceAt is the index of the piece holding byte off of the content,
// looked for first at hint and the piece after it (a delta's copies
// mostly go forward), then by halves.
func (c *Content) pieceAt(off, hint int) int {
	for i := hint; i < min(hint+2, len(c.starts)); i++ {
		if c.starts[i] <= off && (i+1 == len(c.starts) || off < c.starts[i+1]) {
			return i
		}
	}
	return sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > off }) - 1
}

// appendRange appends to out the pieces of c over [off, off+n), joining
// a range of the root to the one before it when they meet; it returns
// the index of the last piece read (a hint for the next).
func (c *Content) appendRange(out *Content, off, n, hint int) int {
	i := c.pieceAt(off, hint)
	for ; n > 0; i++ {
		p, skip := c.Pieces[i], off-c.starts[i]
		take := min(p.Len-skip, n)
		if p.Src != 0 {
			out.Pieces = append(out.Pieces, Piece{Src: p.Src, Off: p.Off + skip, Len: take})
		} else {
			out.AppendRoot(p.Off+skip, take)
		}
		off, n = off+take, n-take
	}
	return i - 1
}

// AppendRoot appends the root's range [off, off+n), joined to the piece
// before it when that one ends where it starts.
func (c *Content) AppendRoot(off, n int) {
	c.Size += n
	if k := len(c.Pieces) - 1; k >= 0 && c.Pieces[k].Src == 0 && c.Pieces[k].Off+c.Pieces[k].Len == off {
		c.Pieces[k].Len += n
		return
	}
	c.Pieces = append(c.Pieces, Piece{Off: off, Len: n})
}
