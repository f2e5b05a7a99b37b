package gitpack

import (
	"errors"
	"sort"
)

// Root is a whole (not delta) object of a pack, inflated once: what the
// pieces of the objects of its delta chains copy from. Its pointer is its
// identity while the Store is open.
type Root struct {
	Bytes []byte
}

// Piece is a part of an object's content: Bytes[Off:Off+Len] of its root,
// or, when Lit is not nil, the bytes Lit (an insert of a delta).
type Piece struct {
	Off, Len int
	Lit      []byte
}

// Size is the number of bytes the piece stands for.
func (p Piece) Size() int {
	if p.Lit != nil {
		return len(p.Lit)
	}
	return p.Len
}

// Content is an object's bytes as pieces of one root, in order; adjacent
// ranges of the root are one piece.
type Content struct {
	Root   *Root
	Pieces []Piece
	Size   int
	starts []int // starts[i]: where Pieces[i] begins in the content
}

// Bytes materialises the content.
func (c *Content) Bytes() []byte {
	out := make([]byte, 0, c.Size)
	for _, p := range c.Pieces {
		out = append(out, c.bytesOf(p)...)
	}
	return out
}

// bytesOf is the bytes a piece stands for.
func (c *Content) bytesOf(p Piece) []byte {
	if p.Lit != nil {
		return p.Lit
	}
	return c.Root.Bytes[p.Off : p.Off+p.Len]
}

// errTooManyPieces stops a composition whose list would outgrow the bound.
var errTooManyPieces = errors.New("gitpack: too many pieces")

// maxPieces bounds a content's pieces: a lock version's delta has a few
// hundred instructions; millions mean a pathological chain.
const maxPieces = 1 << 22

// whole is a root's content: one piece, all of it.
func whole(r *Root) *Content {
	c := &Content{Root: r, Size: len(r.Bytes)}
	if len(r.Bytes) > 0 {
		c.Pieces = []Piece{{Off: 0, Len: len(r.Bytes)}}
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
		at += p.Size()
	}
}

// apply is the content of a delta's target over base: each insert a
// literal piece, each copy the base's pieces over its range.
func apply(base *Content, target int, ops []op) (*Content, error) {
	out := &Content{Root: base.Root, Size: target}
	for _, o := range ops {
		if o.lit != nil {
			out.Pieces = append(out.Pieces, Piece{Lit: o.lit})
		} else {
			base.appendRange(out, o.off, o.n)
		}
		if len(out.Pieces) > maxPieces {
			return nil, errTooManyPieces
		}
	}
	out.index()
	return out, nil
}

// appendRange appends to out the pieces of c over [off, off+n), joining
// a range of the root to the one before it when they meet.
func (c *Content) appendRange(out *Content, off, n int) {
	i := sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > off }) - 1
	for ; n > 0; i++ {
		p, skip := c.Pieces[i], off-c.starts[i]
		take := min(p.Size()-skip, n)
		if p.Lit != nil {
			out.Pieces = append(out.Pieces, Piece{Lit: p.Lit[skip : skip+take : skip+take]})
		} else {
			out.appendRoot(p.Off+skip, take)
		}
		off, n = off+take, n-take
	}
}

// appendRoot appends the root's range [off, off+n), joined to the piece
// before it when that one ends where it starts.
func (c *Content) appendRoot(off, n int) {
	if k := len(c.Pieces) - 1; k >= 0 && c.Pieces[k].Lit == nil && c.Pieces[k].Off+c.Pieces[k].Len == off {
		c.Pieces[k].Len += n
		return
	}
	c.Pieces = append(c.Pieces, Piece{Off: off, Len: n})
}
