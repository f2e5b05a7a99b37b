package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"sync"

	"github.com/psf/advisory-builder/internal/lock"
)

// lockVersion is one stored version of a lock, by entry: each entry's
// bytes as lock.Marshal writes them (found by their fixed indentation,
// without decoding the lock), or, for a version in any other form, each
// entry's content digest (decoded in full). An empty version holds no
// entry (no lock, or one that does not parse).
type lockVersion struct {
	raw     map[string][]byte
	digests map[string]string
}

// pendingEntry is an entry of HEAD's lock being followed back: its ID, a
// SHA-256 of the part of its bytes in HEAD's lock that reaches a record
// (contentOf), or of all its bytes when it has no such part that can be
// cut out (hasSum false when that lock is not in the canonical form), and
// its content digest. Neither version of the lock is held.
type pendingEntry struct {
	id                string
	sum               [32]byte
	hasSum, byContent bool
	digest            string
}

// setBytes summarises the entry's bytes in HEAD's lock.
func (p *pendingEntry) setBytes(raw []byte) {
	p.hasSum = true
	if s := summarize(raw); s.ok {
		p.sum, p.byContent = s.sum, true
		return
	}
	p.sum, p.byContent = sha256.Sum256(raw), false
}

// contentSum is the SHA-256 of the part of an entry's bytes that reaches
// a record (contentOf), when ok.
type contentSum struct {
	ok  bool
	sum [32]byte
}

// summarize is the content summary of an entry's bytes.
func summarize(raw []byte) contentSum {
	c, ok := contentOf(raw)
	if !ok {
		return contentSum{}
	}
	return contentSum{true, sha256.Sum256(c)}
}

// sameBytes reports whether raw, an entry's bytes in a version cut by
// splitEntries or streamEntries, holds the content of p: the same bytes
// but for `changed` and `warnings` (compared by their SHA-256), or else the
// same content digest.
func (p *pendingEntry) sameBytes(raw []byte) bool { return p.same(raw, nil) }

// same is sameBytes with raw's content summary, when known is not nil,
// computed before (a pack root's entry: rootEntry).
func (p *pendingEntry) same(raw []byte, known *contentSum) bool {
	return p.sameSum(raw, known) || entryDigest(raw) == p.digest
}

// sameSum is the first half of same: whether raw holds p's content by
// its summary; when not, its content digest decides (entryDigest).
func (p *pendingEntry) sameSum(raw []byte, known *contentSum) bool {
	switch {
	case !p.hasSum:
		return false
	case !p.byContent:
		return sha256.Sum256(raw) == p.sum
	case known != nil:
		return p.heldBySum(known)
	}
	sum := summarize(raw)
	return p.heldBySum(&sum)
}

// heldBySum reports whether an entry whose content summary is s holds
// p's content by that summary alone (without its bytes).
func (p *pendingEntry) heldBySum(s *contentSum) bool {
	return p.hasSum && p.byContent && s.ok && s.sum == p.sum
}

// readLockVersion splits data into entries, or decodes it when it is not
// in the canonical form. legacy decodes always (the way the build read
// lock versions before; the benchmarks' baseline).
func readLockVersion(data []byte, legacy bool) lockVersion {
	if !legacy {
		if raw, ok := splitEntries(data); ok {
			return lockVersion{raw: raw}
		}
	}
	v := lockVersion{digests: map[string]string{}}
	l, err := lock.Parse(bytes.NewReader(data))
	if err != nil {
		return v
	}
	for id, e := range l.Advisories {
		v.digests[id] = e.ContentDigest()
	}
	return v
}

// same reports whether the version holds the entry of want with its
// content: by its bytes (sameBytes), or, when the version is not in the
// canonical form, by its content digest.
func (v lockVersion) same(want *pendingEntry) bool {
	if v.raw == nil {
		d, ok := v.digests[want.id]
		return ok && d == want.digest
	}
	r, ok := v.raw[want.id]
	return ok && want.sameBytes(r)
}

// Markers of the two last fields of an entry in the canonical form, which
// reach no record (see lock.Entry.ContentDigest).
var (
	changedField  = []byte("\n      \"changed\": ")
	warningsField = []byte("\n      \"warnings\": ")
)

// contentOf is the part of an entry's bytes that reaches a record when
// `changed` and `warnings` come last, as lock.Entry orders them (a test
// holds the struct to that): everything before them, without the comma
// that follows the last field kept. ok is false when another field follows
// them (a lock not written by lock.Marshal). Equal contents mean equal
// content digests; different ones are decoded to compare (a lock written
// in another layout splits too).
func contentOf(raw []byte) (content []byte, ok bool) {
	end := len(raw)
	for _, m := range [][]byte{changedField, warningsField} {
		if k := bytes.Index(raw, m); k >= 0 && k < end {
			end = k
		}
	}
	rest := raw[end:]
	keys := bytes.Count(rest, fieldStart)
	known := bytes.Count(rest, changedField) + bytes.Count(rest, warningsField)
	return bytes.TrimSuffix(raw[:end], []byte(",")), keys == known
}

// fieldStart opens a field of an entry in the canonical form.
var fieldStart = []byte("\n      \"")

// entryDigest decodes one entry's bytes (as splitEntries cut them) and
// returns its content digest; "" when they do not decode.
func entryDigest(raw []byte) string {
	open := bytes.IndexByte(raw, '{')
	if open < 0 {
		return ""
	}
	obj := append(bytes.Clone(raw[open:]), '}')
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.DisallowUnknownFields()
	var e lock.Entry
	if err := dec.Decode(&e); err != nil {
		return ""
	}
	return e.ContentDigest()
}

// The layout's markers: lock.Marshal indents by two spaces, so the
// advisories map opens at the top level and each entry opens and closes
// at an indentation of four ("\n    }" cannot occur inside an entry, whose
// lines are indented further and whose strings hold no newline).
var (
	advisoriesOpen = []byte("\n  \"advisories\": {")
	entryOpen      = []byte("    \"")
	entryClose     = []byte("\n    }")
	mapClose       = []byte("  }")
)

// splitEntries cuts a lock laid out as lock.Marshal writes it into its
// entries' bytes (each from its key line to before its closing brace), by
// ID; false when data is not laid out so.
//
// The fields before the map (advisories is the last) are decoded by the
// lock's own rules, and nothing may follow the map but the lock's closing
// brace: a version with an unknown field or in an earlier format does not
// split, so it is decoded whole, and counts as different content when it
// does not parse.
func splitEntries(data []byte) (map[string][]byte, bool) {
	i := bytes.Index(data, advisoriesOpen)
	if i < 0 || !headerParses(data[:i]) {
		return nil, false
	}
	rest := data[i+len(advisoriesOpen):]
	out := map[string][]byte{}
	if bytes.HasPrefix(rest, []byte("}")) {
		return out, isLockEnd(rest[1:])
	}
	if len(rest) == 0 || rest[0] != '\n' {
		return nil, false
	}
	rest = rest[1:]
	for !bytes.HasPrefix(rest, mapClose) {
		if !bytes.HasPrefix(rest, entryOpen) {
			return nil, false
		}
		q := bytes.IndexByte(rest[len(entryOpen):], '"')
		end := indexEntryClose(rest, entryClose)
		if q < 0 || end < 0 {
			return nil, false
		}
		id := string(rest[len(entryOpen) : len(entryOpen)+q])
		if _, dup := out[id]; dup {
			return nil, false
		}
		out[id] = rest[:end]
		rest = rest[end+len(entryClose):]
		switch {
		case bytes.HasPrefix(rest, []byte(",\n")):
			rest = rest[2:]
		case bytes.HasPrefix(rest, []byte("\n")):
			rest = rest[1:]
			if !bytes.HasPrefix(rest, mapClose) {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return out, isLockEnd(rest[len(mapClose):])
}

// indexEntryClose is bytes.Index(rest, entryClose) (the second argument), found by the closing
// brace, which is rarer in a lock than the newline entryClose starts with.
func indexEntryClose(rest, _ []byte) int {
	indent := len(entryClose) - 1
	for from := 0; ; {
		k := bytes.IndexByte(rest[from:], '}')
		if k < 0 {
			return -1
		}
		k += from
		if k >= indent && bytes.Equal(rest[k-indent:k+1], entryClose) {
			return k - indent
		}
		from = k + 1
	}
}

// headerParses reports whether the fields before the advisories map are
// a lock's, by the lock's own decoder.
func headerParses(header []byte) bool {
	h := bytes.TrimSuffix(bytes.TrimRight(header, " \n"), []byte(","))
	_, err := lock.Parse(bytes.NewReader(append(bytes.Clone(h), "\n}"...)))
	return err == nil
}

// isLockEnd reports whether rest is what follows the advisories map as
// lock.Marshal writes it: the lock's closing brace.
func isLockEnd(rest []byte) bool {
	return string(rest) == "\n}\n" || string(rest) == "\n}"
}

// streamEntries cuts a lock read from r, laid out as lock.Marshal writes
// it, into its entries as splitEntries does, handing each entry's bytes
// (valid until the next) to each, in order, without holding the lock. It
// reports false when the lock is not laid out so, or not so plainly that
// a stream can tell (entries out of ID order, an entry whose ID does not
// end in it): the caller then reads it whole (splitEntries, which may yet
// split it, or a full decode) and must ignore what each was handed.
func streamEntries(r io.Reader, each func(id string, raw []byte)) (bool, error) {
	return cutEntries(readerSource{r}, func(c cutEntry) { each(c.id, c.raw) })
}

// cutEntry is an entry cutEntries hands over: its ID, its bytes (valid
// until the next), where they start in the stream, and, when it was taken
// whole from a pack root (entrySource), that root's entry (then raw is
// nil: the source reads its bytes, entryBytes, when they are needed).
type cutEntry struct {
	id   string
	raw  []byte
	at   int
	from *rootEntry
}

// entrySource is what cutEntries reads: bytes, and, where the cut stands
// at the start of an entry with nothing read ahead, maybe a whole entry
// of a pack root, taken without reading its bytes (see pieceSource).
type entrySource interface {
	io.Reader
	// wholeEntry consumes and returns the root entry whose bytes (its
	// closing included) come next, when they are one.
	wholeEntry() (*rootEntry, bool)
	// entryBytes reads the bytes of a root entry it offered (valid until
	// the next).
	entryBytes(*rootEntry) ([]byte, error)
}

// readerSource is a plain stream: it never offers a whole entry.
type readerSource struct{ io.Reader }

func (readerSource) wholeEntry() (*rootEntry, bool) { return nil, false }

func (readerSource) entryBytes(*rootEntry) ([]byte, error) {
	return nil, errors.New("a plain stream offers no root entry")
}

// cutEntries is streamEntries over a source that may offer whole entries
// of a root. A whole entry is taken only where the cut stands exactly at
// the start of an entry with nothing read ahead, and is what cutting its
// bytes would give (its bytes hold no closing before their own, and
// begin with the opening of an entry and its ID), so the entries handed
// over and the answer are those of the same bytes streamed.
func cutEntries(src entrySource, each func(cutEntry)) (bool, error) {
	buf := windowBufs.Get().(*[]byte)
	w := &window{r: src, buf: (*buf)[:0]}
	defer func() { *buf = w.buf[:0]; windowBufs.Put(buf) }()
	i, err := w.index(advisoriesOpen, bytes.Index)
	if i < 0 || err != nil || !headerParses(w.rest()[:i]) {
		return false, err
	}
	w.off += i + len(advisoriesOpen)
	if w.has(1) && w.rest()[0] == '}' {
		w.off++
		return w.atLockEnd()
	}
	if !w.has(1) || w.rest()[0] != '\n' {
		return false, w.err
	}
	w.off++
	first, last := true, ""
	for {
		c, whole := cutEntry{at: w.pos()}, false
		if len(w.rest()) == 0 {
			c.from, whole = src.wholeEntry()
		}
		if !whole && w.has(len(mapClose)) && bytes.HasPrefix(w.rest(), mapClose) {
			break
		}
		if whole {
			c.id = c.from.id
			w.skipped += c.from.n + len(entryClose)
		} else {
			ok, err := w.cut(&c)
			if !ok || err != nil {
				return false, err
			}
		}
		if !first && c.id <= last {
			return false, nil // out of order or twice: splitEntries decides
		}
		first, last = false, c.id
		each(c)
		if !whole {
			w.off += len(c.raw) + len(entryClose)
		}
		switch {
		case w.has(2) && bytes.HasPrefix(w.rest(), []byte(",\n")):
			w.off += 2
		case w.has(1) && w.rest()[0] == '\n':
			w.off++
			if !w.has(len(mapClose)) || !bytes.HasPrefix(w.rest(), mapClose) {
				return false, w.err
			}
		default:
			return false, w.err
		}
	}
	w.off += len(mapClose)
	return w.atLockEnd()
}

// cut cuts the entry that starts the window's bytes: false when they do
// not open one, it does not close, or its ID does not end in it.
func (w *window) cut(c *cutEntry) (bool, error) {
	if !w.has(len(entryOpen)) || !bytes.HasPrefix(w.rest(), entryOpen) {
		return false, w.err
	}
	end, err := w.index(entryClose, indexEntryClose)
	if end < 0 || err != nil {
		return false, err
	}
	c.raw = w.rest()[:end]
	q := bytes.IndexByte(c.raw[len(entryOpen):], '"')
	if q < 0 {
		return false, nil // the ID ends after the entry: splitEntries decides
	}
	c.id = string(c.raw[len(entryOpen) : len(entryOpen)+q])
	return true, nil
}

// windowBufs are cutEntries' buffers (a cut reads a whole lock through
// one; each version of a lock is cut in turn).
var windowBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256<<10); return &b }}

// window is the part of a stream being cut: buf[off:] read and not yet
// consumed.
type window struct {
	r   io.Reader
	buf []byte
	off int
	eof bool
	err error // a read error other than the end
	// dropped counts the bytes consumed and moved out of buf, skipped
	// those taken whole, never in buf: the stream's offset of buf[0] is
	// their sum.
	dropped, skipped int
}

func (w *window) rest() []byte { return w.buf[w.off:] }

// pos is the offset in the stream of what is left.
func (w *window) pos() int { return w.dropped + w.skipped + w.off }

// fill reads more, moving what is not consumed to the front and growing
// the buffer when it is full; false at the end of the stream.
func (w *window) fill() bool {
	if w.eof {
		return false
	}
	if w.off > 0 {
		n := copy(w.buf, w.buf[w.off:])
		w.buf, w.dropped, w.off = w.buf[:n], w.dropped+w.off, 0
	}
	if len(w.buf) == cap(w.buf) {
		w.buf = append(w.buf, 0)[:len(w.buf)]
	}
	n, err := w.r.Read(w.buf[len(w.buf):cap(w.buf)])
	w.buf = w.buf[:len(w.buf)+n]
	if err != nil {
		w.eof = true
		if err != io.EOF {
			w.err = err
		}
	}
	return n > 0 || !w.eof
}

// has reports whether n bytes are there to consume, reading as needed.
func (w *window) has(n int) bool {
	for len(w.rest()) < n {
		if !w.fill() {
			return false
		}
	}
	return true
}

// index finds the first sep in what is left, by find (bytes.Index or a
// faster equivalent), reading as needed; -1 when the stream ends first.
func (w *window) index(sep []byte, find func(s, sep []byte) int) (int, error) {
	from := 0
	for {
		if k := find(w.rest()[from:], sep); k >= 0 {
			return from + k, nil
		}
		from = max(0, len(w.rest())-len(sep)+1)
		if !w.fill() {
			return -1, w.err
		}
	}
}

// atLockEnd reports whether all that is left is the lock's closing brace
// (isLockEnd).
func (w *window) atLockEnd() (bool, error) {
	for len(w.rest()) <= len("\n}\n") && w.fill() {
	}
	if w.err != nil {
		return false, w.err
	}
	return w.eof && isLockEnd(w.rest()), nil
}
