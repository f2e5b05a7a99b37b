package build

import (
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
// streamed from git, and only the bytes around the inserts are read (and
// an entry taken whole only when its summary does not tell).
//
// A root is read by offset, never as a whole: one larger than gitpack is
// told to hold (lockHeldRoot) is inflated once to a temporary file, cut
// into entries by streaming it, and read from there, so one code path
// serves both.

// rootEntry is an entry of a pack root's lock: its ID, where its bytes
// start in the root and their length (followed there by entryClose), and
// their content summary.
type rootEntry struct {
	id       string
	start, n int
	sum      contentSum
}

// closed is where the entry's closing ends in the root.
func (e *rootEntry) closed() int { return e.start + e.n + len(entryClose) }

// rootIndex is a root's entries, in the order of their bytes, and the
// length of the shortest with its closing (no shorter piece holds one).
// The root is held in memory or read from a file (gitpack.Root): either
// way the index reads it by offset, never whole.
type rootIndex struct {
	root     *gitpack.Root
	entries  []rootEntry
	shortest int
	scratch  []byte // an entry's bytes read from a root in a file
}

// indexRoot cuts a root into entries as the lock stream would
// (cutEntries), streaming its bytes, as far as it cuts: the entries it
// hands over are entries whatever follows them. An error when the root
// does not read.
func indexRoot(root *gitpack.Root) (*rootIndex, error) {
	ix := &rootIndex{root: root}
	_, err := cutEntries(readerSource{io.NewSectionReader(root, 0, int64(root.Size()))}, func(c cutEntry) {
		ix.entries = append(ix.entries, rootEntry{id: c.id, start: c.at, n: len(c.raw), sum: summarize(c.raw)})
		if n := len(c.raw) + len(entryClose); ix.shortest == 0 || n < ix.shortest {
			ix.shortest = n
		}
	})
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// bytesOf is a root entry's bytes (without its closing): a slice of a
// root held in memory, or read from its file into the index's scratch
// buffer (valid until the next).
func (ix *rootIndex) bytesOf(e *rootEntry) ([]byte, error) {
	b, err := ix.root.Slice(e.start, e.n, ix.scratch)
	if err == nil && ix.root.InFile() {
		ix.scratch = b
	}
	return b, err
}

// segment is a part of a version: a piece of its content (inserted
// bytes, or a range of the root), which may be a whole root entry (its
// bytes and its closing).
type segment struct {
	p     gitpack.Piece
	entry *rootEntry // the whole entry the range is, if it is one
}

// rootRange is a segment of the root's bytes [at, end).
func rootRange(at, end int) segment { return segment{p: gitpack.Piece{Off: at, Len: end - at}} }

// segments lays a version given as pieces of the indexed root out as
// segments, each root entry wholly inside a piece of the root as one.
func (ix *rootIndex) segments(c *gitpack.Content, into []segment) []segment {
	for _, p := range c.Pieces {
		if p.Src != 0 {
			into = append(into, segment{p: p})
			continue
		}
		at, end := p.Off, p.Off+p.Len
		k := len(ix.entries)
		if p.Len >= ix.shortest {
			k = sort.Search(len(ix.entries), func(k int) bool { return ix.entries[k].start >= at })
		}
		for ; k < len(ix.entries); k++ {
			e := &ix.entries[k]
			if e.closed() > end {
				break
			}
			if e.start > at {
				into = append(into, rootRange(at, e.start))
			}
			whole := rootRange(e.start, e.closed())
			whole.entry = e
			into = append(into, whole)
			at = e.closed()
		}
		if at < end {
			into = append(into, rootRange(at, end))
		}
	}
	return into
}

// pieceSource reads a version laid out as segments (an entrySource): as
// bytes, each read ending before a whole entry, which wholeEntry takes;
// the root's bytes are read by offset (a root in a file is never held).
type pieceSource struct {
	c    *gitpack.Content
	ix   *rootIndex // the root's index, when the segments hold its entries
	segs []segment
	i    int // the segment being read
	off  int // what of it is read
}

func (s *pieceSource) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && s.i < len(s.segs) {
		seg := &s.segs[s.i]
		if seg.entry != nil && s.off == 0 && n > 0 {
			break // a whole entry next: the cut may take it whole
		}
		k, err := s.readSegment(seg, p[n:])
		n, s.off = n+k, s.off+k
		if err != nil {
			return n, err
		}
		if s.off == seg.p.Len {
			s.i, s.off = s.i+1, 0
		}
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// readSegment reads what p holds of the rest of seg.
func (s *pieceSource) readSegment(seg *segment, p []byte) (int, error) {
	if seg.p.Src != 0 {
		return copy(p, s.c.Inserted(seg.p)[s.off:]), nil
	}
	k := min(len(p), seg.p.Len-s.off)
	return s.c.Root.ReadAt(p[:k], int64(seg.p.Off+s.off))
}

func (s *pieceSource) wholeEntry() (*rootEntry, bool) {
	if s.i < len(s.segs) && s.off == 0 && s.segs[s.i].entry != nil {
		s.i++
		return s.segs[s.i-1].entry, true
	}
	return nil, false
}

func (s *pieceSource) entryBytes(e *rootEntry) ([]byte, error) {
	if s.ix == nil {
		return nil, errors.New("an entry of a root not indexed")
	}
	return s.ix.bytesOf(e)
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
	s.MaxRootSize, s.MaxHeldRoot = lockRootSize, lockHeldRoot
	h.packs = &packLocks{store: s, indexes: map[*gitpack.Root]*rootIndex{}}
	return h.packs
}

// source is the lock stored as blob laid out as segments of its root,
// when it is in a pack as gitpack reads them in at most maxPieces pieces;
// fragmented when it is not for that bound (a version stored as a delta
// of another file: its root's entries are not its own), when its chain's
// whole object is larger than the store reads (gitpack.ErrRootTooLarge)
// or when that root does not read: either way no other version of the
// chain is read from the pack.
func (pl *packLocks) source(blob string, maxPieces int) (src *pieceSource, fragmented bool) {
	pl.store.MaxPieces = maxPieces
	c, err := pl.store.Blob(plumbing.NewHash(blob))
	if err != nil {
		return nil, errors.Is(err, gitpack.ErrFragmented) || errors.Is(err, gitpack.ErrRootTooLarge)
	}
	ix, ok := pl.indexes[c.Root]
	if !ok && len(c.Pieces) == 1 && c.Pieces[0] == (gitpack.Piece{Len: c.Root.Size()}) {
		// A version stored whole: cut as bytes; its root is indexed
		// only when a delta's version is read from it.
		return &pieceSource{c: c, segs: []segment{rootRange(0, c.Root.Size())}}, false
	}
	if !ok {
		if len(pl.indexes) >= 2 { // the roots of a walk's locks
			clear(pl.indexes)
		}
		if ix, err = indexRoot(c.Root); err != nil {
			return nil, true
		}
		pl.indexes[c.Root] = ix
	}
	pl.segs = ix.segments(c, pl.segs[:0])
	return &pieceSource{c: c, ix: ix, segs: pl.segs}, false
}

// lockRootSize is the largest whole lock version read from the packs as
// a chain's root (0: gitpack's own bound), and lockHeldRoot the largest
// held in memory: a larger root is inflated once to a temporary file and
// read from there by offset. At 100,000 advisories the 100 MB lock held
// as a root took the build with history past 500 MB. (Variables for the
// tests.)
var lockRootSize, lockHeldRoot = 0, 32 << 20

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
