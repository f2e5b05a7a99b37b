// Package gitpack reads blobs straight from a git repository's pack
// files as pieces: ranges of a whole object of the pack (a root, inflated
// once: held in memory, or, when larger than the store holds, written to
// a temporary file and read by offset) and the bytes a delta inserts, its
// delta chain resolved by composing piece lists, never by materialising
// each version. A reader of many versions of one large file learns from
// the pieces which parts of a version are a root's bytes unchanged.
//
// Anything not plainly handled (an object not in a pack, a sha256 or
// alternates repository, an unreadable or malformed pack, a chain too
// deep, sizes past the bounds) is ErrNotAvailable: the caller reads the
// object another way.
package gitpack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// ErrNotAvailable says the object cannot be read from the packs here.
var ErrNotAvailable = errors.New("gitpack: not available from the packs")

// Bounds on what is read: a chain deeper than git writes but when asked
// (its default --depth is 50, --aggressive 250), a delta larger than a
// lock can be, the roots held in memory at once (past it the least
// recently used are dropped, but for the one being read: a walk down a
// chain needs one), and the roots in files at once.
const (
	maxDepth     = 1000
	maxDeltaSize = 1 << 28
	maxHeldBytes = 64 << 20
	// maxHeldRoot is the largest root held in memory: half the roots
	// held, so a walk down one chain keeps its root while another's is
	// read. A larger one is inflated once to a temporary file and read
	// by offset (held beside everything else, a 100 MB lock at 100,000
	// advisories took the build past 500 MB).
	maxHeldRoot = maxHeldBytes / 2
	// maxRootSize is the largest root read at all (into a file): past
	// it, ErrRootTooLarge.
	maxRootSize = 1 << 31
	// maxFileRoots is how many roots are kept in files at once (a walk
	// reads two locks); the least recently used is closed and its file
	// removed first.
	maxFileRoots = 2
)

// ErrRootTooLarge says a content's chain ends at a whole object larger
// than the store reads (Store.MaxRootSize, maxRootSize): not available,
// and no other version of that chain is either.
var ErrRootTooLarge = errors.New("gitpack: the chain's whole object is too large to read")

// Store reads blobs from the packs of one repository. It is not safe for
// concurrent use.
type Store struct {
	// MaxPieces, when set, bounds the pieces of a content (and the
	// instructions of a delta): past it, Blob gives up (not available)
	// rather than compose a version of tiny fragments (a delta against
	// another file, say), which the caller reads better another way.
	MaxPieces int
	// MaxRootSize, when set, is the largest whole object read as a root
	// (at most maxRootSize): past it, Blob gives up (ErrRootTooLarge).
	MaxRootSize int
	// MaxHeldRoot, when set, is the largest root held in memory (at most
	// maxHeldRoot): a larger one is inflated to a temporary file and
	// read from there.
	MaxHeldRoot int

	packs     []*pack
	roots     map[objKey]*Root
	heldBytes int // of the roots held in memory
	fileRoots int // roots in files
	memo      map[objKey]*memoEntry
	memoBytes int
	lent      map[objKey][]byte // Lend
	clock     int               // counts uses, for the memo's least recently used
}

// memoEntry is a content resolved, and when it was last used.
type memoEntry struct {
	c    *Content
	used int
}

// pack is one pack file and its index.
type pack struct {
	idx  *idxfile.MemoryIndex
	file *os.File
	scan *packfile.Scanner
}

// objKey is an object's place: its pack and offset.
type objKey struct {
	pack   int
	offset int64
}

// Open reads the pack indexes of the repository whose git directory is
// gitDir (the one holding objects/). ErrNotAvailable when there is
// nothing this package reads plainly: no packs, a repository that is not
// sha1, alternates, or an index or pack that does not read.
func Open(gitDir string) (*Store, error) {
	if notPlain(gitDir) {
		return nil, ErrNotAvailable
	}
	idxs, err := filepath.Glob(filepath.Join(gitDir, "objects", "pack", "pack-*.idx"))
	if err != nil || len(idxs) == 0 {
		return nil, ErrNotAvailable
	}
	s := &Store{roots: map[objKey]*Root{}, memo: map[objKey]*memoEntry{}, lent: map[objKey][]byte{}}
	for _, name := range idxs {
		p, err := openPack(name)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("%w: %s: %v", ErrNotAvailable, filepath.Base(name), err)
		}
		s.packs = append(s.packs, p)
	}
	return s, nil
}

// notPlain reports a repository whose objects may not all be in its own
// packs by sha1: alternates, or an object format extension.
func notPlain(gitDir string) bool {
	if _, err := os.Stat(filepath.Join(gitDir, "objects", "info", "alternates")); err == nil {
		return true
	}
	cfg, err := os.ReadFile(filepath.Join(gitDir, "config"))
	return err != nil || strings.Contains(strings.ToLower(string(cfg)), "objectformat")
}

// openPack reads an index and opens its pack.
func openPack(idxName string) (*pack, error) {
	data, err := os.ReadFile(idxName)
	if err != nil {
		return nil, err
	}
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(bytes.NewReader(data)).Decode(idx); err != nil {
		return nil, err
	}
	f, err := os.Open(strings.TrimSuffix(idxName, ".idx") + ".pack")
	if err != nil {
		return nil, err
	}
	scan := packfile.NewScanner(f)
	if _, _, err := scan.Header(); err != nil {
		f.Close()
		return nil, err
	}
	return &pack{idx: idx, file: f, scan: scan}, nil
}

// Close closes the pack files and the roots (removing their files).
func (s *Store) Close() error {
	var errs []error
	for _, p := range s.packs {
		errs = append(errs, p.file.Close())
	}
	for _, r := range s.roots {
		errs = append(errs, r.Close())
	}
	s.packs, s.roots, s.memo = nil, nil, nil
	s.heldBytes, s.fileRoots = 0, 0
	return errors.Join(errs...)
}

// Blob returns the content of the blob hash as pieces; an error wrapping
// ErrNotAvailable when it cannot be read from the packs.
func (s *Store) Blob(hash plumbing.Hash) (c *Content, err error) {
	defer func() {
		// go-git's pack scanner is not ours to prove panic-free on
		// every damaged pack: whatever it does, the caller reads the
		// object another way.
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("%w: blob %s: %v", ErrNotAvailable, hash, r)
		}
	}()
	k, ok := s.find(hash)
	if !ok {
		return nil, ErrNotAvailable
	}
	c, err = s.resolve(k, 0)
	if errors.Is(err, ErrFragmented) || errors.Is(err, ErrRootTooLarge) {
		return nil, fmt.Errorf("%w: blob %s: %w", ErrNotAvailable, hash, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: blob %s: %v", ErrNotAvailable, hash, err)
	}
	s.clock++
	c.Root.used = s.clock
	return c, nil
}

// Lend offers data, the content of the object hash (the caller has
// hashed it: a file of the work tree, say), to be taken as that object's
// bytes if it is the root of a chain read before the returned function
// takes it back, instead of inflating it.
func (s *Store) Lend(hash plumbing.Hash, data []byte) (takeBack func()) {
	k, ok := s.find(hash)
	if !ok {
		return func() {}
	}
	s.lent[k] = data
	return func() { delete(s.lent, k) }
}

// find is where hash is stored.
func (s *Store) find(hash plumbing.Hash) (objKey, bool) {
	for i, p := range s.packs {
		if off, err := p.idx.FindOffset(hash); err == nil {
			return objKey{i, off}, true
		}
	}
	return objKey{}, false
}

// resolve is the content of the object at k, depth deltas down a chain.
func (s *Store) resolve(k objKey, depth int) (*Content, error) {
	if m, ok := s.memo[k]; ok {
		s.clock++
		m.used = s.clock
		return m.c, nil
	}
	if depth > maxDepth {
		return nil, errors.New("delta chain too deep")
	}
	p := s.packs[k.pack]
	h, err := p.scan.SeekObjectHeader(k.offset)
	if err != nil {
		return nil, err
	}
	var c *Content
	switch h.Type {
	case plumbing.BlobObject:
		r, err := s.root(k, p, h)
		if err != nil {
			return nil, err
		}
		c = whole(r)
	case plumbing.OFSDeltaObject, plumbing.REFDeltaObject:
		if c, err = s.undelta(k, p, h, depth); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("object at %d is a %s", k.offset, h.Type)
	}
	s.remember(k, c)
	return c, nil
}

// undelta is the content of the delta whose header was just read.
func (s *Store) undelta(k objKey, p *pack, h *packfile.ObjectHeader, depth int) (*Content, error) {
	data, err := inflate(p, h, maxDeltaSize)
	if err != nil {
		return nil, err
	}
	base := objKey{k.pack, h.OffsetReference}
	if h.Type == plumbing.REFDeltaObject {
		var ok bool
		if base, ok = s.find(h.Reference); !ok {
			return nil, fmt.Errorf("delta base %s is not in a pack", h.Reference)
		}
	}
	if base == k {
		return nil, errors.New("a delta of itself")
	}
	baseSize, target, ops, err := parseDelta(data, s.limit())
	if err != nil {
		return nil, err
	}
	b, err := s.resolve(base, depth+1)
	if err != nil {
		return nil, err
	}
	if baseSize != b.Size {
		return nil, fmt.Errorf("delta at %d states a base of %d bytes, not %d", k.offset, baseSize, b.Size)
	}
	return apply(b, target, data, ops, s.limit())
}

// limit is the bound on a content's pieces.
func (s *Store) limit() int {
	if s.MaxPieces > 0 {
		return min(s.MaxPieces, maxPieces)
	}
	return maxPieces
}

// root inflates the whole object whose header was just read, once: held
// in memory, or, past the bound on what is held, into a temporary file.
func (s *Store) root(k objKey, p *pack, h *packfile.ObjectHeader) (*Root, error) {
	if r, ok := s.roots[k]; ok {
		return r, nil
	}
	if h.Length < 0 || h.Length > s.rootLimit() {
		return nil, ErrRootTooLarge
	}
	inFile := h.Length > s.heldLimit()
	s.makeRoom(inFile, int(h.Length))
	var data rootData
	var err error
	if inFile {
		data, err = inflateToFile(p, h)
	} else {
		data, err = s.inflateHeld(k, p, h)
	}
	if err != nil {
		return nil, err
	}
	if inFile {
		s.fileRoots++
	} else {
		s.heldBytes += data.size()
	}
	s.clock++
	r := &Root{data: data, key: k, used: s.clock}
	s.roots[k] = r
	return r, nil
}

// inflateHeld is the object whose header was just read, in memory: the
// bytes lent for it (Lend), or inflated.
func (s *Store) inflateHeld(k objKey, p *pack, h *packfile.ObjectHeader) (heldRoot, error) {
	if b, ok := s.lent[k]; ok && int64(len(b)) == h.Length {
		return b, nil
	}
	return inflate(p, h, maxHeldRoot)
}

// inflateToFile is the object whose header was just read, inflated into
// a temporary file.
func inflateToFile(p *pack, h *packfile.ObjectHeader) (*fileRoot, error) {
	f, err := writeFileRoot(func(w io.Writer) (int64, error) {
		n, _, err := p.scan.NextObject(w)
		return n, err
	}, h.Length)
	if err != nil {
		return nil, fmt.Errorf("object at %d: %w", h.Offset, err)
	}
	return f, nil
}

// rootLimit is the largest root read: MaxRootSize when set, within
// maxRootSize.
func (s *Store) rootLimit() int64 {
	if s.MaxRootSize > 0 && int64(s.MaxRootSize) < maxRootSize {
		return int64(s.MaxRootSize)
	}
	return maxRootSize
}

// heldLimit is the largest root held in memory: MaxHeldRoot when set,
// within maxHeldRoot.
func (s *Store) heldLimit() int64 {
	if s.MaxHeldRoot > 0 && s.MaxHeldRoot < maxHeldRoot {
		return int64(s.MaxHeldRoot)
	}
	return maxHeldRoot
}

// makeRoom forgets the least recently used roots of a kind (in files, or
// held), and the contents made of them, until one more of n bytes fits.
func (s *Store) makeRoom(inFile bool, n int) {
	for s.full(inFile, n) {
		oldest := s.oldestRoot(inFile)
		if oldest == nil {
			return
		}
		s.forget(oldest)
	}
}

// full reports whether one more root of the kind, of n bytes, is past
// the bounds.
func (s *Store) full(inFile bool, n int) bool {
	if inFile {
		return s.fileRoots+1 > maxFileRoots
	}
	return s.heldBytes+n > maxHeldBytes
}

// oldestRoot is the least recently used root of the kind; nil when none.
func (s *Store) oldestRoot(inFile bool) *Root {
	var oldest *Root
	for _, r := range s.roots {
		if r.InFile() == inFile && (oldest == nil || r.used < oldest.used) {
			oldest = r
		}
	}
	return oldest
}

// forget drops a root and the contents made of it, and closes it.
func (s *Store) forget(r *Root) {
	delete(s.roots, r.key)
	if r.InFile() {
		s.fileRoots--
	} else {
		s.heldBytes -= r.Size()
	}
	for k, m := range s.memo {
		if m.c.Root == r {
			s.memoBytes -= len(m.c.Pieces)
			delete(s.memo, k)
		}
	}
	r.Close() // a file's close error leaves nothing to do: it is not read again
}

// inflate reads the data of the object whose header was just read: as
// many bytes as the header states, at most limit.
func inflate(p *pack, h *packfile.ObjectHeader, limit int64) ([]byte, error) {
	if h.Length < 0 || h.Length > limit {
		return nil, fmt.Errorf("object at %d states %d bytes", h.Offset, h.Length)
	}
	w := &fixedWriter{buf: make([]byte, 0, h.Length)}
	n, _, err := p.scan.NextObject(w)
	if err != nil {
		return nil, err
	}
	if n != h.Length {
		return nil, fmt.Errorf("object at %d inflates to %d bytes, not %d", h.Offset, n, h.Length)
	}
	return w.buf, nil
}

// fixedWriter appends to buf, never past its capacity.
type fixedWriter struct{ buf []byte }

func (w *fixedWriter) Write(b []byte) (int, error) {
	if len(b) > cap(w.buf)-len(w.buf) {
		return 0, io.ErrShortWrite
	}
	w.buf = append(w.buf, b...)
	return len(b), nil
}

// maxMemoPieces bounds the pieces the memo holds (24 bytes each, and 8
// of starts): a walk down a chain needs the version just read.
const maxMemoPieces = 256 << 10

// remember memoises a content, forgetting the least recently used ones
// while the memo holds too many pieces. (A walk down a chain finds each
// version's base just done.)
func (s *Store) remember(k objKey, c *Content) {
	for s.memoBytes+len(c.Pieces) > maxMemoPieces && len(s.memo) > 0 {
		var oldest objKey
		least := -1
		for mk, m := range s.memo {
			if least < 0 || m.used < least {
				oldest, least = mk, m.used
			}
		}
		s.memoBytes -= len(s.memo[oldest].c.Pieces)
		delete(s.memo, oldest)
	}
	s.clock++
	s.memo[k] = &memoEntry{c: c, used: s.clock}
	s.memoBytes += len(c.Pieces)
}
