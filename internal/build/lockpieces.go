package build

import (
	"bytes"
	"errors"
	"io"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/psf/advisory-builder/internal/gitpack"
)

// Lock versions read from the pack's deltas. A version stored as a delta
// is a few inserts among long copies of its base, so gitpack gives it as
// pieces of a root (a whole object of the pack) and inserted bytes. The
// root is cut into entries once (rootIndex), each with its content
// summary; a version's pieces become segments (pieceSource): whole root
// entries that a copy covers from the start of their key line to the end
// of their closing brace, and bytes. cutEntries takes such an entry whole
// only where the cut stands exactly at an entry's start, with nothing
// read ahead, which is what cutting its bytes would give; everywhere else
// it reads bytes. So the entries and the answer are those of the version
// streamed from git, and only the bytes around the inserts are read.

// rootEntry is an entry of a pack root's lock: its ID, its bytes (a slice
// of the root, followed there by entryClose) and their content summary.
type rootEntry struct {
	id    string
	raw   []byte
	start int
	sum   contentSum
}

// rootIndex is a root's entries, in the order of their bytes, and the
// length of the shortest with its closing (no shorter piece holds one).
type rootIndex struct {
	root     []byte
	entries  []rootEntry
	shortest int
}

// indexRoot cuts a root into entries as the lock stream would
// (cutEntries), as far as it cuts: the entries it hands over are entries
// whatever follows them.
func indexRoot(root []byte) *rootIndex {
	ix := &rootIndex{root: root}
	cutEntries(readerSource{bytes.NewReader(root)}, func(c cutEntry) {
		raw := root[c.at : c.at+len(c.raw)]
		ix.entries = append(ix.entries, rootEntry{id: c.id, raw: raw, start: c.at, sum: summarize(raw)})
		if n := len(raw) + len(entryClose); ix.shortest == 0 || n < ix.shortest {
			ix.shortest = n
		}
	})
	return ix
}

// segment is a part of a version: bytes, or a whole root entry (bytes
// then holds its bytes and its closing).
type segment struct {
	b     []byte
	entry *rootEntry
}

// segments lays a version given as pieces of the indexed root out as
// segments, each root entry wholly inside a piece of the root as one.
func (ix *rootIndex) segments(c *gitpack.Content, into []segment) []segment {
	for _, p := range c.Pieces {
		if p.Src != 0 {
			into = append(into, segment{b: c.PieceBytes(p)})
			continue
		}
		at, end := p.Off, p.Off+p.Len
		k := len(ix.entries)
		if p.Len >= ix.shortest {
			k = sort.Search(len(ix.entries), func(k int) bool { return ix.entries[k].start >= at })
		}
		for ; k < len(ix.entries); k++ {
			e := &ix.entries[k]
			closed := e.start + len(e.raw) + len(entryClose)
			if closed > end {
				break
			}
			if e.start > at {
				into = append(into, segment{b: ix.root[at:e.start]})
			}
			into = append(into, segment{b: ix.root[e.start:closed], entry: e})
			at = closed
		}
		if at < end {
			into = append(into, segment{b: ix.root[at:end]})
		}
	}
	return into
}

// pieceSource reads a version laid out as segments (an entrySource): as
// bytes, each read ending before a whole entry, which wholeEntry takes.
type pieceSource struct {
	segs []segment
	i    int // the segment being read
	off  int // what of it is read
}

func (s *pieceSource) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && s.i < len(s.segs) {
		seg := s.segs[s.i]
		if seg.entry != nil && s.off == 0 && n > 0 {
			break // a whole entry next: the cut may take it whole
		}
		k := copy(p[n:], seg.b[s.off:])
		n, s.off = n+k, s.off+k
		if s.off == len(seg.b) {
			s.i, s.off = s.i+1, 0
		}
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (s *pieceSource) wholeEntry() (*rootEntry, bool) {
	if s.i < len(s.segs) && s.off == 0 && s.segs[s.i].entry != nil {
		s.i++
		return s.segs[s.i-1].entry, true
	}
	return nil, false
}

// packLocks reads lock versions from the database's packs: gitpack's
// store and the index of each root read.
type packLocks struct {
	store   *gitpack.Store
	indexes map[*gitpack.Root]*rootIndex
	segs    []segment // reused from version to version
}

// packLocks opens the database's packs on first use; nil when they
// cannot be read (then every version is read through git cat-file).
func (h *history) packLocks() *packLocks {
	if h.packs != nil || h.noPack || h.packTried {
		return h.packs
	}
	h.packTried = true
	dir := h.gitDir()
	if dir == "" {
		return nil
	}
	s, err := gitpack.Open(dir)
	if err != nil {
		return nil
	}
	s.MaxRootSize = lockRootSize
	h.packs = &packLocks{store: s, indexes: map[*gitpack.Root]*rootIndex{}}
	return h.packs
}

// source is the lock stored as blob laid out as segments of its root,
// when it is in a pack as gitpack reads them in at most maxPieces pieces;
// fragmented when it is not for that bound (a version stored as a delta
// of another file: its root's entries are not its own) or when its chain's
// whole object is larger than the store reads (gitpack.ErrRootTooLarge):
// either way no other version of the chain is read from the pack.
func (pl *packLocks) source(blob string, maxPieces int) (src *pieceSource, fragmented bool) {
	pl.store.MaxPieces = maxPieces
	c, err := pl.store.Blob(plumbing.NewHash(blob))
	if err != nil {
		return nil, errors.Is(err, gitpack.ErrFragmented) || errors.Is(err, gitpack.ErrRootTooLarge)
	}
	ix, ok := pl.indexes[c.Root]
	if !ok && len(c.Pieces) == 1 && c.Pieces[0] == (gitpack.Piece{Len: len(c.Root.Bytes)}) {
		// A version stored whole: cut as bytes; its root is indexed
		// only when a delta's version is read from it.
		return &pieceSource{segs: []segment{{b: c.Root.Bytes}}}, false
	}
	if !ok {
		if len(pl.indexes) >= 2 { // the roots of a walk's locks
			clear(pl.indexes)
		}
		ix = indexRoot(c.Root.Bytes)
		pl.indexes[c.Root] = ix
	}
	pl.segs = ix.segments(c, pl.segs[:0])
	return &pieceSource{segs: pl.segs}, false
}

// lockRootSize is the largest whole lock version read from the packs as
// a chain's root (gitpack's own bound; a variable for the tests): a lock
// whose versions are stored as deltas of a larger one is read through git
// cat-file. At 100,000 advisories the 100 MB lock held as a root took the
// build with history past 500 MB.
var lockRootSize = 32 << 20

// versionPieces bounds a version's pieces by its lock's entries: a
// version read from its own file's versions is a few pieces an entry (the
// oldest of 20 versions of a 13,000-entry lock, every entry's date
// changed since, 45,000); one made of another file's fragments (a
// 100,000-entry lock stored as a delta of the other product's lock,
// 3,000,000) is read through git cat-file instead. (A variable for the
// tests.)
var versionPieces = func(entries int) int { return 4096 + 32*entries }

// close closes the packs.
func (pl *packLocks) close() {
	if pl != nil {
		pl.store.Close()
	}
}
