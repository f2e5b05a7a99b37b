package gitgraph

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"unsafe"
)

// cacheVersion changes whenever the cached layout or its meaning changes.
const cacheVersion = "advisory-gitgraph 5"

// DefaultCacheDir is $ADVISORY_CACHE_DIR, else <user cache dir>/advisory-builder/gitgraph
// (~/.cache/advisory-builder/gitgraph on Linux); "" when neither is known.
func DefaultCacheDir() string {
	if d := os.Getenv("ADVISORY_CACHE_DIR"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "advisory-builder", "gitgraph")
}

// cacheKey digests the refs (the lines "name hash" after the cache
// version). Commits and tags are content-addressed, so the
// same ref values always name the same history: the key can never be stale.
func cacheKey(refs []rawRef) string {
	h := sha256.New()
	line := append([]byte(cacheVersion), '\n')
	for _, r := range refs {
		line = append(line, r.Name...)
		line = append(line, ' ')
		line = hex.AppendEncode(line, r.Hash[:])
		line = append(line, '\n')
		if len(line) > 32<<10 {
			h.Write(line)
			line = line[:0]
		}
	}
	h.Write(line)
	return hex.EncodeToString(h.Sum(nil))
}

func cachePath(dir, key, ext string) string { return filepath.Join(dir, key+ext) }

// The graph cache is one flat little-endian file, mapped and used in place
// (no decoder, no copy, no hash map to rebuild): the version and key, then,
// each aligned to 8 bytes, the commits' hashes, their numbers in hash order
// (for Lookup), parent offsets, parents, and the refs (with their dates:
// no commit time is needed otherwise, so none is kept).
func readCache(dir, key string) (g *Graph, err error) {
	defer func() {
		if recover() != nil {
			g, err = nil, fmt.Errorf("cache entry unreadable")
		}
	}()
	data, err := mapChecked(cachePath(dir, key, ".graph"))
	if err != nil {
		return nil, err
	}
	r := &flatReader{b: data}
	if r.str() != cacheVersion || r.str() != key {
		return nil, fmt.Errorf("cache entry does not match")
	}
	used := r.u32() == 1
	n, np, nr := int(r.u32()), int(r.u32()), int(r.u32())
	if n > len(data) || np > len(data) || nr > len(data) {
		return nil, fmt.Errorf("cache entry corrupt")
	}
	g = &Graph{key: key, UsedCommitGraph: used, n: n}
	g.hashes = r.aligned(20 * n)
	g.sorted = r.u32s(n)
	g.parentOff = r.u32s(n + 1)
	g.parents = r.u32s(np)
	r.align()
	g.refs = make([]Ref, nr)
	for k := range g.refs {
		g.refs[k] = Ref{Name: r.str(), Commit: r.u32(), Time: int64(r.u64()), Annotated: r.u32() == 1}
	}
	if r.err != nil || len(r.b) != 0 || len(g.hashes) != 20*n {
		return nil, fmt.Errorf("cache entry corrupt")
	}
	if err := g.check(); err != nil {
		return nil, err
	}
	return g, nil
}

// check verifies a cached graph's invariants, so that a damaged entry is
// never trusted: parents before children, refs and the hash order in range.
func (g *Graph) check() error {
	n := g.Len()
	if g.parentOff[0] != 0 || int(g.parentOff[n]) != len(g.parents) {
		return fmt.Errorf("cache entry corrupt")
	}
	for i := 0; i < n; i++ {
		if g.parentOff[i] > g.parentOff[i+1] {
			return fmt.Errorf("cache entry corrupt")
		}
		for _, p := range g.Parents(uint32(i)) {
			if p >= uint32(i) {
				return fmt.Errorf("cache entry corrupt")
			}
		}
	}
	// (an order broken past the checksum could only make Lookup miss: it
	// compares every hash it returns)
	for _, c := range g.sorted {
		if int(c) >= n {
			return fmt.Errorf("cache entry corrupt")
		}
	}
	for _, r := range g.refs {
		if int(r.Commit) >= n {
			return fmt.Errorf("cache entry corrupt")
		}
	}
	return nil
}

func writeCache(dir string, g *Graph) error {
	if g.sorted == nil {
		g.sorted = sortByHash(g)
	}
	head := &flatWriter{}
	head.str(cacheVersion)
	head.str(g.key)
	used := uint32(0)
	if g.UsedCommitGraph {
		used = 1
	}
	head.u32(used)
	head.u32(uint32(g.Len()))
	head.u32(uint32(len(g.parents)))
	head.u32(uint32(len(g.refs)))
	head.align()
	// The arrays are written from where they lie, not copied into one
	// buffer first (6 MB on CPython's history); each part but the last
	// ends on an 8-byte boundary, as flatReader expects.
	parts := [][]byte{head.b, g.hashes, pad(len(g.hashes)),
		u32Bytes(g.sorted), pad(4 * len(g.sorted)),
		u32Bytes(g.parentOff), pad(4 * len(g.parentOff)),
		u32Bytes(g.parents), pad(4 * len(g.parents))}
	refs := &flatWriter{}
	for _, r := range g.refs {
		refs.str(r.Name)
		refs.u32(r.Commit)
		refs.u64(uint64(r.Time))
		ann := uint32(0)
		if r.Annotated {
			ann = 1
		}
		refs.u32(ann)
	}
	return writeRaw(dir, cachePath(dir, g.key, ".graph"), append(parts, refs.b)...)
}

// pad is the zero padding that takes n bytes to a multiple of 8.
func pad(n int) []byte { return make([]byte, (8-n%8)%8) }

// u32Bytes is vs as little-endian bytes: their memory on a little-endian
// machine, else an encoded copy.
func u32Bytes(vs []uint32) []byte {
	if len(vs) == 0 {
		return nil
	}
	if littleEndian() {
		return unsafe.Slice((*byte)(unsafe.Pointer(&vs[0])), 4*len(vs))
	}
	out := make([]byte, 0, 4*len(vs))
	for _, v := range vs {
		out = binary.LittleEndian.AppendUint32(out, v)
	}
	return out
}

// flatWriter writes little-endian values; align pads to a multiple of 8
// bytes from the start, so that a reader of the mapped file can use the
// arrays that follow in place.
type flatWriter struct{ b []byte }

func (w *flatWriter) align() {
	for len(w.b)%8 != 0 {
		w.b = append(w.b, 0)
	}
}

func (w *flatWriter) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }
func (w *flatWriter) u64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *flatWriter) str(s string) { w.u32(uint32(len(s))); w.b = append(w.b, s...) }
func (w *flatWriter) u32s(vs []uint32) {
	w.align()
	for _, v := range vs {
		w.u32(v)
	}
}

// flatReader reads what flatWriter wrote; past the end it sets err and
// returns zero values. Arrays (u32s, i64s) are aligned first and returned
// in place where the machine allows (see u32View).
type flatReader struct {
	b   []byte
	off int // bytes consumed, for align
	err error
}

// align skips the padding flatWriter.align wrote.
func (r *flatReader) align() {
	if pad := (8 - r.off%8) % 8; pad > 0 {
		r.bytes(pad)
	}
}

// aligned reads n bytes that start at an aligned offset.
func (r *flatReader) aligned(n int) []byte {
	r.align()
	return r.bytes(n)
}

func (r *flatReader) bytes(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.err = fmt.Errorf("truncated")
		r.b = nil
		return make([]byte, 8) // enough for u32 and u64; counts are checked
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	r.off += n
	return out
}

func (r *flatReader) u32() uint32 { return binary.LittleEndian.Uint32(r.bytes(4)) }
func (r *flatReader) u64() uint64 { return binary.LittleEndian.Uint64(r.bytes(8)) }
func (r *flatReader) str() string { return string(r.bytes(int(r.u32()))) }

// strView is str without the copy: the string shares the file's memory,
// which must never change (a read-only mapping that lives as long as the
// process, or a buffer nothing else holds).
func (r *flatReader) strView() string {
	b := r.bytes(int(r.u32()))
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (r *flatReader) u32s(n int) []uint32 {
	r.align()
	if n < 0 || 4*n > len(r.b) {
		r.bytes(-1)
		return nil
	}
	return u32View(r.bytes(4 * n))
}

func (r *flatReader) i64s(n int) []int64 {
	r.align()
	if n < 0 || 8*n > len(r.b) {
		r.bytes(-1)
		return nil
	}
	return i64View(r.bytes(8 * n))
}

// writeRaw writes a payload (the concatenation of parts) behind its
// CRC-32C, atomically.
func writeRaw(dir, path string, parts ...[]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var crc uint32
	for _, p := range parts {
		crc = crc32.Update(crc, castagnoli, p)
	}
	sum := binary.LittleEndian.AppendUint64(nil, uint64(crc))
	if err := writeCacheFile(path, append([][]byte{sum}, parts...)...); err != nil {
		return err
	}
	prune(dir, 8)
	return nil
}

// readChecked reads a cache file and checks its CRC-32C, so that a damaged
// entry is never trusted.
func readChecked(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < 8 {
		return nil, fmt.Errorf("%s: truncated", path)
	}
	if crc32.Checksum(data[8:], castagnoli) != uint32(binary.LittleEndian.Uint64(data)) {
		return nil, fmt.Errorf("%s: checksum mismatch", path)
	}
	return data[8:], nil
}

// prune keeps the newest keep cache entries of each kind.
func prune(dir string, keep int) {
	for _, pat := range []string{"*.graph", "*.msgs", "*.table"} {
		files, _ := filepath.Glob(filepath.Join(dir, pat))
		if len(files) <= keep {
			continue
		}
		type f struct {
			path string
			mod  int64
		}
		var fs []f
		for _, p := range files {
			if fi, err := os.Stat(p); err == nil {
				fs = append(fs, f{p, fi.ModTime().UnixNano()})
			}
		}
		sort.Slice(fs, func(i, j int) bool { return fs[i].mod > fs[j].mod })
		for _, x := range fs[min(keep, len(fs)):] {
			os.Remove(x.path)
		}
	}
}
