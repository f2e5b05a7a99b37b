package build

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/workpool"
)

// lockFile is one product's lock as the build read it from File.
type lockFile struct {
	Product string
	File    string
	Lock    *lock.Packed
}

// entries dates the entries of one product's lock: an entry's resolution
// landed at the oldest first-parent commit of the unbroken run (from HEAD
// back) whose lock holds an entry of the same content digest. The pipeline
// commits the locks to main before it builds, so this is when the resolver's
// answer was published to main; the upstream tag dates in the lock are
// written by whoever tags a release and are never trusted for `modified`.
//
// Only commits that changed the lock file's blob are read, each streamed
// through one `git cat-file --batch` process and cut into entries by the
// fixed indentation lock.Marshal writes, in ID order, merged with the
// pending entries (sorted by ID): an entry whose bytes up to `changed` and
// `warnings` have the SHA-256 of HEAD's is unchanged without decoding
// anything; only an entry whose bytes differ is decoded, to compare
// content digests. Neither HEAD's lock nor an older version is held. A
// version in another form is read whole (splitEntries, or decoded); one
// that does not parse counts as different content, which can only date an
// entry later, never earlier.
//
// The walk takes what it can from the last build's (see lockCacheFormat).
type entries struct {
	h       *history
	ml      *mainLine
	lock    *lock.Packed   // HEAD's lock, as the build read it
	path    string         // repo-relative lock path
	blob    string         // the lock's blob at the commit being stepped
	steps   int            // the index in ml of the commit being stepped
	pending []pendingEntry // sorted by ID
	found   map[string]time.Time
	absent  []bool // scratch: the pending entries a version does not hold
	// current is the lock in the work tree, as readCurrent read it, of
	// the blob currentBlob, until the first version is read (offerCurrent).
	current     *bytes.Buffer
	currentBlob string
	// headEntries is the number of entries of HEAD's lock; fragmented is
	// set once a version is too many pieces of its root, its root is too
	// large or does not read (read through git cat-file from then on).
	headEntries int
	fragmented  bool
	// known are the bytes of pending entries found to hold their content
	// in a version read (sameBytes), knownBytes their length.
	known      map[string][]byte
	knownBytes int
	// undecided are the entries of the version being merged that only
	// their content digest can judge (judge, decide).
	undecided []undecidedEntry
	// done are the entries dated at a commit (not by an edit of the work
	// tree), for the cache; read tells whether any version was read.
	done []cachedEntry
	read bool
	// digested is set once every pending entry's content digest is
	// known (digests): only comparing a version or the cache for an
	// entry with no summary needs them, so a walk that the cache
	// answers decodes no entry.
	digested bool
	// The cache read at the start: its file, the index in ml of the
	// commit it was written at (-1: none) and its entries.
	cacheFile string
	cacheAt   int
	cached    []cachedEntry
}

// entries starts tracking a lock: entries equal to HEAD's are pending, the
// others (the lock file is uncommitted or edited) get HEAD's time.
func (h *history) entries(ml *mainLine, head *object.Tree, lf lockFile) (*entries, error) {
	e := &entries{h: h, ml: ml, lock: lf.Lock, found: map[string]time.Time{}, cacheAt: -1}
	ids := lf.Lock.IDs()
	e.pending = make([]pendingEntry, len(ids))
	for i, id := range ids {
		e.pending[i].id = id // the digest when needed (digests)
	}
	slices.SortFunc(e.pending, func(a, b pendingEntry) int { return strings.Compare(a.id, b.id) })
	e.headEntries = len(e.pending)
	path, blob, err := e.readCurrent(lf.File)
	if errors.Is(err, fs.ErrNotExist) {
		e.pending = nil
		return e, nil // no lock: no entries
	}
	if err != nil {
		return nil, err
	}
	e.path = path
	if e.blob, err = blobAt(head, path); err != nil {
		return nil, err
	}
	if e.blob != blob {
		if err := e.compare(e.blob, -1); err != nil {
			return nil, err
		}
	}
	e.readCache()
	return e, nil
}

// readCache reads the cache of the lock, when there is one written at a
// commit of the main line.
func (e *entries) readCache() {
	if e.h.legacy || e.h.noCache {
		return
	}
	if e.cacheFile = e.h.lockCachePath(e.path); e.cacheFile == "" {
		return
	}
	at, cached, err := readLockCache(e.cacheFile, e.path)
	if err != nil {
		return
	}
	if i, ok := e.ml.index[at]; ok {
		e.cacheAt, e.cached = i, cached
	}
}

// applyCache dates the pending entries that the cache holds with the same
// summary at the commit being stepped (the cache's): they land where the
// walk that wrote it found them.
func (e *entries) applyCache() {
	kept := e.pending[:0]
	k := 0
	for j := range e.pending {
		for k < len(e.cached) && e.cached[k].id < e.pending[j].id {
			k++
		}
		if k < len(e.cached) && e.datedFor(&e.cached[k], j) {
			if i, ok := e.ml.index[e.cached[k].landed]; ok && i >= e.steps {
				e.land(e.pending[j], i)
				continue
			}
		}
		kept = append(kept, e.pending[j])
	}
	clear(e.pending[len(kept):])
	e.pending, e.cached = kept, nil
}

// datedFor reports whether the cached entry c was dated for the content
// of pending entry k: both have the same ID and the same summary of their
// bytes (equal bytes hold equal content, so the content digest is not
// needed), or, for an entry with no summary (HEAD's lock is not in the
// canonical form), the same content digest.
func (e *entries) datedFor(c *cachedEntry, k int) bool {
	p := &e.pending[k]
	if c.id != p.id || c.hasSum != p.hasSum {
		return false
	}
	if p.hasSum {
		return c.byContent == p.byContent && c.sum == p.sum
	}
	if p.digest == "" {
		p.digest = e.lock.ContentDigest(p.id)
	}
	return c.digest == p.digest
}

// digests sets the content digest of every pending entry, once: before a
// version of the lock is compared with them.
func (e *entries) digests() {
	if e.digested {
		return
	}
	e.digested = true
	workpool.Each(len(e.pending), workpool.CPUWorkers(), func(k int) error {
		if p := &e.pending[k]; p.digest == "" {
			p.digest = e.lock.ContentDigest(p.id)
		}
		return nil
	})
}

// land dates p at the commit of index i in ml (-1: HEAD's time, for an
// entry the work tree changed).
func (e *entries) land(p pendingEntry, i int) {
	if known, ok := e.known[p.id]; ok {
		e.knownBytes -= len(known)
		delete(e.known, p.id)
	}
	if i < 0 {
		e.found[p.id] = e.h.headTime
		return
	}
	e.found[p.id] = e.ml.landed[i]
	e.done = append(e.done, cachedEntry{pendingEntry: p, landed: e.ml.commits[i].Hash})
}

// saveCache writes the cache of the lock at HEAD, unless it holds that
// already.
func (e *entries) saveCache() {
	if e.cacheFile == "" || (e.cacheAt == 0 && !e.read) || len(e.pending) > 0 {
		return
	}
	slices.SortFunc(e.done, func(a, b cachedEntry) int { return strings.Compare(a.id, b.id) })
	_ = writeLockCache(e.cacheFile, e.path, e.ml.commits[0].Hash, e.done) // a cache that cannot be written only costs time
}

// readCurrent reads the lock file of the work tree once: its blob, and
// each pending entry's bytes in it (summarised: setBytes).
func (e *entries) readCurrent(file string) (rel, blob string, err error) {
	if e.h.legacy { // as the build did before: the file read twice, decoded
		rel, blob, err = e.h.blobOf(file)
		if err != nil {
			return "", "", err
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return "", "", err
		}
		e.setCurrent(readLockVersion(data, true))
		return rel, blob, nil
	}
	rel, f, size, err := e.h.openWorkFile(file)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	sum := newBlobHash(size)
	var seen io.Writer = sum
	if !e.h.noPack && size <= maxLentLock {
		// Kept for the pack reader: when HEAD's lock is the root of its
		// versions' deltas, these bytes are it (offerCurrent).
		e.current = bytes.NewBuffer(make([]byte, 0, size))
		seen = io.MultiWriter(sum, e.current)
	}
	ok, err := e.merge(io.TeeReader(f, seen), func(p *pendingEntry, raw []byte) bool {
		p.setBytes(raw)
		return true
	})
	if err != nil {
		return "", "", err
	}
	if !ok {
		e.current = nil
		for i := range e.pending {
			e.pending[i].hasSum = false
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return "", "", err
		}
		e.setCurrent(readLockVersion(data, false))
		sum = newBlobHash(int64(len(data)))
		sum.Write(data)
	}
	blob = hex.EncodeToString(sum.Sum(nil))
	e.currentBlob = blob
	return rel, blob, nil
}

// maxLentLock is the largest lock in the work tree kept for the pack
// reader: a 100 MB one (100,000 entries) would add its size to the peak
// while the first version is read, whose root, at that size, was found
// to be the other product's lock.
const maxLentLock = 32 << 20

// offerCurrent lends the bytes of the lock in the work tree (read by
// readCurrent, of the blob currentBlob) to the pack reader, which takes
// them for that object instead of inflating it, and returns a function
// that takes them back. The lock is then held only while the first
// version is read, or not at all when no version is.
func (e *entries) offerCurrent(pl *packLocks) (takeBack func()) {
	data := e.current
	e.current = nil
	if data == nil {
		return func() {}
	}
	return pl.store.Lend(plumbing.NewHash(e.currentBlob), data.Bytes())
}

// setCurrent summarises the pending entries' bytes in HEAD's lock read
// whole (none when it is not in the canonical form).
func (e *entries) setCurrent(v lockVersion) {
	for i := range e.pending {
		if raw, ok := v.raw[e.pending[i].id]; ok {
			e.pending[i].setBytes(raw)
		}
	}
}

// merge streams the lock r entry by entry (streamEntries) against the
// pending entries, both in ID order: held(p, raw) is called for each
// pending entry the lock holds; e.absent is set for each it does not
// hold or for which held is false. ok is false when the lock does not
// stream (then e.absent means nothing).
func (e *entries) merge(r io.Reader, held func(p *pendingEntry, raw []byte) bool) (bool, error) {
	return e.mergeFrom(readerSource{r}, func(k int, c cutEntry) bool { return held(&e.pending[k], c.raw) })
}

// mergeFrom is merge over a source that may offer whole entries of a pack
// root (cutEntries), held given the pending entry's index.
func (e *entries) mergeFrom(src entrySource, held func(k int, c cutEntry) bool) (bool, error) {
	e.absent = slices.Grow(e.absent[:0], len(e.pending))[:len(e.pending)]
	clear(e.absent)
	k := 0
	ok, err := cutEntries(src, func(c cutEntry) {
		for k < len(e.pending) && e.pending[k].id < c.id {
			e.absent[k] = true
			k++
		}
		if k < len(e.pending) && e.pending[k].id == c.id {
			e.absent[k] = !held(k, c)
			k++
		}
	})
	for ; k < len(e.pending); k++ {
		e.absent[k] = true
	}
	return ok, err
}

func (e *entries) step(_ time.Time, parent *object.Tree) (bool, error) {
	defer func() { e.steps++ }()
	if e.steps == e.cacheAt {
		e.applyCache()
	}
	if len(e.pending) == 0 {
		e.current = nil
		return false, nil
	}
	pb := ""
	if parent != nil {
		var err error
		if pb, err = blobAt(parent, e.path); err != nil {
			return false, err
		}
	}
	if pb == e.blob && parent != nil {
		return true, nil // the lock did not change in this commit
	}
	if err := e.compare(pb, e.steps); err != nil {
		return false, err
	}
	e.blob = pb
	return len(e.pending) > 0, nil
}

// compare reads the lock stored as blob ("": none) and dates at the
// commit of index i (see land) the pending entries it does not hold with
// their content.
func (e *entries) compare(blob string, i int) error {
	e.digests()
	if blob != "" && i >= 0 {
		e.read = true
		e.h.versionsRead++
	}
	if err := e.markAbsent(blob); err != nil {
		return fmt.Errorf("reading %s (blob %s) from the database history: %w", e.path, blob, err)
	}
	kept := e.pending[:0]
	for k, p := range e.pending {
		if e.absent[k] {
			e.land(p, i)
		} else {
			kept = append(kept, p)
		}
	}
	clear(e.pending[len(kept):])
	e.pending = kept
	return nil
}

// markAbsent sets e.absent for the pending entries the lock stored as
// blob does not hold with their content: streamed entry by entry when it
// is in the canonical form, else read whole (splitEntries, or decoded in
// full).
func (e *entries) markAbsent(blob string) error {
	if blob == "" {
		e.absent = slices.Grow(e.absent[:0], len(e.pending))[:len(e.pending)]
		for i := range e.absent {
			e.absent[i] = true
		}
		return nil
	}
	if !e.h.legacy {
		if e.markAbsentFromPack(blob) {
			return nil
		}
		r, err := e.h.blobs().open(blob, "blob")
		if err != nil {
			return err
		}
		ok, err := e.mergeVersion(readerSource{r})
		if ok || err != nil {
			return err
		}
	}
	data, err := e.h.blobs().read(blob)
	if err != nil {
		return err
	}
	v := readLockVersion(data, e.h.legacy)
	e.absent = slices.Grow(e.absent[:0], len(e.pending))[:len(e.pending)]
	for i := range e.pending {
		e.absent[i] = !v.same(&e.pending[i])
	}
	return nil
}

// maxKnownBytes bounds the bytes entries.known holds: a 10,000-entry
// lock's worth (at 100,000 entries, holding every pending entry's bytes
// would add a version's 100 MB to the build's peak).
const maxKnownBytes = 16 << 20

// judge reports whether raw holds the content of pending entry k as far
// as its bytes tell (sameBytes; known, when not nil, is the summary of a
// pack root's entry): bytes found before to hold it, or its summary.
// Otherwise only its content digest can tell: it is kept for decide and
// counts as held until then.
func (e *entries) judge(k int, raw []byte, known *contentSum) bool {
	p := &e.pending[k]
	if kept, ok := e.known[p.id]; ok && bytes.Equal(kept, raw) {
		return true
	}
	if p.sameSum(raw, known) {
		if known == nil {
			e.keep(p, raw)
		}
		return true
	}
	e.undecided = append(e.undecided, undecidedEntry{k, bytes.Clone(raw)})
	return true
}

// undecidedEntry is an entry of a version whose bytes differ from HEAD's:
// its index in pending and its bytes.
type undecidedEntry struct {
	k   int
	raw []byte
}

// decide marks absent the undecided entries of the version just merged
// whose content digest is not HEAD's: each decoded (entryDigest), on
// every CPU (an entry changed in a version is decoded once, in that
// version; the decodes are most of a version's cost).
func (e *entries) decide() {
	same := make([]bool, len(e.undecided))
	workpool.Each(len(e.undecided), workpool.CPUWorkers(), func(i int) error {
		u := e.undecided[i]
		same[i] = entryDigest(u.raw) == e.pending[u.k].digest
		return nil
	})
	for i, u := range e.undecided {
		if same[i] {
			e.keep(&e.pending[u.k], u.raw)
		} else {
			e.absent[u.k] = true
		}
	}
}

// keep keeps raw as bytes found to hold p's content, while entries.known
// has room: a later version that holds the same bytes holds the same
// content, found by comparing bytes instead of hashing them.
func (e *entries) keep(p *pendingEntry, raw []byte) {
	if e.knownBytes+len(raw) > maxKnownBytes {
		return
	}
	if e.known == nil {
		e.known = map[string][]byte{}
	}
	e.knownBytes += len(raw) - len(e.known[p.id])
	e.known[p.id] = bytes.Clone(raw)
}

// markAbsentFromPack is markAbsent for a lock version in the canonical
// form read from the pack's deltas (lockpieces.go): an entry a copy left
// as the root's is compared by the root's summary, without reading its
// bytes. False when the version is not in a pack as gitpack reads them or
// does not stream: then e.absent means nothing and git cat-file reads it.
func (e *entries) markAbsentFromPack(blob string) bool {
	pl := e.h.packLocks()
	if pl == nil {
		e.current = nil
		return false
	}
	if e.fragmented {
		return false
	}
	takeBack := e.offerCurrent(pl)
	src, fragmented := pl.source(blob, versionPieces(e.headEntries))
	takeBack()
	if src == nil {
		e.fragmented = fragmented // the other versions of its chain are too
		return false
	}
	ok, err := e.mergeVersion(src)
	if err != nil {
		e.fragmented = true // its root does not read: nor will the next version's
	}
	if ok {
		e.h.fromPack++
	}
	return ok
}

// mergeVersion merges an older version of the lock (mergeFrom): e.absent
// is set for each pending entry it does not hold with its content, judged
// by its bytes, or by the summary of a pack root's entry taken whole, and
// where they do not tell, by its content digest (decide).
func (e *entries) mergeVersion(src entrySource) (bool, error) {
	defer func() { e.undecided = e.undecided[:0] }()
	var readErr error
	ok, err := e.mergeFrom(src, func(k int, c cutEntry) bool {
		if c.from == nil {
			return e.judge(k, c.raw, nil)
		}
		held, err := e.judgeWhole(k, c.from, src)
		readErr = cmp.Or(readErr, err)
		return held
	})
	if err = cmp.Or(err, readErr); ok && err == nil {
		e.decide()
	}
	return ok && err == nil, err
}

// judgeWhole is judge for a root's entry taken whole: by its summary,
// and only when that does not tell by its bytes, read from the source.
func (e *entries) judgeWhole(k int, from *rootEntry, src entrySource) (bool, error) {
	if e.pending[k].heldBySum(&from.sum) {
		return true, nil
	}
	raw, err := src.entryBytes(from)
	if err != nil {
		return true, err
	}
	return e.judge(k, raw, &from.sum), nil
}

// lockFiles lists the products' locks for Times.
func lockFiles(root string, locks map[string]*lock.Packed) []lockFile {
	var out []lockFile
	for name, l := range locks {
		out = append(out, lockFile{Product: name, File: lock.Path(root, name), Lock: l})
	}
	return out
}
