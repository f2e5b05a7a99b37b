package gitpack

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Root is a whole (not delta) object of a pack, inflated once: what the
// pieces of the objects of its delta chains copy from. A root the store
// holds is in memory; a larger one (Store.MaxHeldRoot) is inflated once to
// a temporary file and read by offset, never held whole. Its pointer is
// its identity while the Store is open; a root in a file is closed when
// the store forgets it (a later Blob, or Close), and reads of it then fail.
type Root struct {
	data rootData
	key  objKey
	used int // when a content of it was last given (Store.clock)
}

// rootData is where a root's bytes are: their size, and reads by offset.
// A read of fewer bytes than asked within the size is an error.
type rootData interface {
	size() int
	io.ReaderAt
	close() error
}

// NewRoot is a root held in memory, of the bytes b (for building contents
// by hand: NewContent).
func NewRoot(b []byte) *Root { return &Root{data: heldRoot(b)} }

// NewFileRoot is a root of the bytes r gives, written to a temporary
// file (as the store does with a root larger than it holds); Close
// removes it.
func NewFileRoot(r io.Reader) (*Root, error) {
	f, err := writeFileRoot(func(w io.Writer) (int64, error) { return io.Copy(w, r) }, -1)
	if err != nil {
		return nil, err
	}
	return &Root{data: f}, nil
}

// Size is the root's length in bytes.
func (r *Root) Size() int { return r.data.size() }

// InFile reports whether the root is read from a temporary file.
func (r *Root) InFile() bool {
	_, ok := r.data.(*fileRoot)
	return ok
}

// ReadAt reads len(p) bytes of the root from off: an error when they are
// not all there (outside the root, or a file cut short).
func (r *Root) ReadAt(p []byte, off int64) (int, error) { return r.data.ReadAt(p, off) }

// Slice is the root's bytes [off, off+n): a slice of the root when it is
// held, else read into buf (grown as needed). Valid until buf is reused.
func (r *Root) Slice(off, n int, buf []byte) ([]byte, error) {
	if off < 0 || n < 0 || off+n > r.Size() {
		return nil, fmt.Errorf("gitpack: bytes %d to %d of a root of %d", off, off+n, r.Size())
	}
	if h, ok := r.data.(heldRoot); ok {
		return h[off : off+n : off+n], nil
	}
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := r.data.ReadAt(buf, int64(off)); err != nil {
		return nil, err
	}
	return buf, nil
}

// Close releases the root: a root in a file is closed and its file
// removed. The store closes the roots it made.
func (r *Root) Close() error { return r.data.close() }

// heldRoot is a root held in memory.
type heldRoot []byte

func (h heldRoot) size() int { return len(h) }

func (h heldRoot) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off > int64(len(h)) {
		return 0, errOutside(off, len(p), len(h))
	}
	n := copy(p, h[off:])
	if n < len(p) {
		return n, errOutside(off, len(p), len(h))
	}
	return n, nil
}

func (heldRoot) close() error { return nil }

func errOutside(off int64, n, size int) error {
	return fmt.Errorf("gitpack: %d bytes at %d of a root of %d: %w", n, off, size, io.ErrUnexpectedEOF)
}

// fileRoot is a root in a temporary file, read by offset through a small
// cache of its blocks: a version's reads between the entries a copy
// leaves whole are a few bytes each, some in order and some anywhere (a
// delta copies a short run of bytes from wherever the base has them), so
// one read of a block serves many, and reads going forward fetch the
// blocks ahead in the same read. Safe for concurrent use.
type fileRoot struct {
	mu   sync.Mutex
	f    *os.File
	name string // the file's name until it is removed
	n    int
	// cache holds fileCacheBlocks blocks, direct-mapped: block b in slot
	// b % fileCacheBlocks; held is the block in each slot (-1: none).
	cache []byte
	held  []int
}

// The cache: blocks of a page, enough of them for the reads around a
// version's inserts (1 MB), and up to 16 read at once going forward. A
// read of many blocks goes to the file.
const (
	fileBlockSize   = 4 << 10
	fileCacheBlocks = 256
	fileReadAhead   = 16
)

// unlinkEarly removes a root's temporary file as soon as it is created
// (where the system allows removing an open file): nothing is left behind
// whatever ends the process. The tests turn it off to see the removal on
// Close and on the error paths.
var unlinkEarly = true

// writeFileRoot creates a temporary file (os.CreateTemp in os.TempDir(),
// mode 0600), fills it with write and checks it holds want bytes (any
// size when want is negative); on any error, or a panic in write, the
// file is closed and removed.
func writeFileRoot(write func(io.Writer) (int64, error), want int64) (_ *fileRoot, err error) {
	f, err := os.CreateTemp("", "advisory-root-*")
	if err != nil {
		return nil, fmt.Errorf("gitpack: a file for a root: %w", err)
	}
	fr, done := &fileRoot{f: f, name: f.Name()}, false
	defer func() {
		if !done {
			err = errors.Join(err, fr.close())
		}
	}()
	if unlinkEarly && os.Remove(fr.name) == nil {
		fr.name = ""
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	n, err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return nil, fmt.Errorf("gitpack: writing a root to %s: %w", f.Name(), err)
	}
	if want >= 0 && n != want {
		return nil, fmt.Errorf("gitpack: a root of %d bytes inflates to %d", want, n)
	}
	fr.n, done = int(n), true
	return fr, nil
}

func (fr *fileRoot) size() int { return fr.n }

func (fr *fileRoot) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(fr.n) {
		return 0, errOutside(off, len(p), fr.n)
	}
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if fr.f == nil {
		return 0, fmt.Errorf("gitpack: reading a root: %w", os.ErrClosed)
	}
	if len(p) >= 4*fileBlockSize {
		return fr.readFile(p, off)
	}
	n := 0
	for n < len(p) {
		at := int(off) + n
		b, err := fr.block(at / fileBlockSize)
		if err != nil {
			return n, err
		}
		n += copy(p[n:], b[at%fileBlockSize:])
	}
	return n, nil
}

// block is block i of the file, from the cache or read into it.
func (fr *fileRoot) block(i int) ([]byte, error) {
	if fr.cache == nil {
		fr.cache = make([]byte, fileCacheBlocks*fileBlockSize)
		fr.held = make([]int, fileCacheBlocks)
		for k := range fr.held {
			fr.held[k] = -1
		}
	}
	slot := i % fileCacheBlocks
	if fr.held[slot] != i {
		if err := fr.load(i); err != nil {
			return nil, err
		}
	}
	at := slot * fileBlockSize
	return fr.cache[at : at+min(fileBlockSize, fr.n-i*fileBlockSize)], nil
}

// load reads block i into its slot, and, when the block before it is
// cached (the reads go forward), the blocks after it in the same read, as
// far as fileReadAhead, the slots (without wrapping) and the file go.
func (fr *fileRoot) load(i int) error {
	slot, count := i%fileCacheBlocks, 1
	if i > 0 && fr.held[(i-1)%fileCacheBlocks] == i-1 {
		blocks := (fr.n + fileBlockSize - 1) / fileBlockSize
		count = min(fileReadAhead, fileCacheBlocks-slot, blocks-i)
	}
	for k := range count {
		fr.held[slot+k] = -1
	}
	at := slot * fileBlockSize
	n := min(count*fileBlockSize, fr.n-i*fileBlockSize)
	if _, err := fr.readFile(fr.cache[at:at+n], int64(i*fileBlockSize)); err != nil {
		return err
	}
	for k := range count {
		fr.held[slot+k] = i + k
	}
	return nil
}

// readFile reads all of p from the file at off: fewer bytes (a file cut
// short) is an error.
func (fr *fileRoot) readFile(p []byte, off int64) (int, error) {
	n, err := fr.f.ReadAt(p, off)
	if n < len(p) {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return n, fmt.Errorf("gitpack: reading %d bytes at %d of a root in %s (%d bytes): %w", len(p), off, fr.f.Name(), fr.n, err)
	}
	return n, nil
}

// close closes the file and removes it, if it is still there.
func (fr *fileRoot) close() error {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if fr.f == nil {
		return nil
	}
	err := fr.f.Close()
	if fr.name != "" {
		err = errors.Join(err, os.Remove(fr.name))
	}
	fr.f, fr.name, fr.cache, fr.held = nil, "", nil, nil
	return err
}
