package gitgraph

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// tableFormat names the layout of table files; it is part of their name,
// so a file of another layout is never opened.
const tableFormat = "table v3"

// pageWords is the unit of verification of a mapped table: 4 KiB, one page.
const pageWords = 512

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Table is a table of words computed from the graph, cached next to it: a
// later run with the same refs and the same name maps the file instead of
// computing it. A mapped table carries a CRC-32C per 4 KiB page and is
// verified a page at a time as it is read (Words): a run checks only the
// pages it reads, and a page that fails its check makes the table
// be recomputed (and the file rewritten), never trusted. A Table is safe
// for concurrent use.
type Table struct {
	data    []uint64
	sums    []uint32 // per page; nil once verified whole or computed
	checked []uint64 // pages verified, one bit each (atomic)

	mu    sync.Mutex
	build func() []uint64
	dir   string
	path  string
}

// Table returns the table of words build computes; build returns nil when
// the table should not be kept (too large), and Table then returns nil.
// name must say everything the table depends on besides the graph (for the
// resolver: its tips and layout); a mapped file gives the table's length.
// Without a cache (or on a big-endian machine) it is computed every time.
func (g *Graph) Table(name string, build func() []uint64) *Table {
	if g.cacheDir == "" || g.key == "" || !littleEndian() {
		g.computingNow()
		return TableOf(build())
	}
	sum := sha256.Sum256([]byte(tableFormat + "\n" + name))
	path := filepath.Join(g.cacheDir, g.key+"-"+hex.EncodeToString(sum[:8])+".table")
	if t := mapTable(path); t != nil {
		recompute := func() []uint64 { g.computingNow(); return build() } // a damaged page
		t.build, t.dir, t.path = recompute, g.cacheDir, path
		return t
	}
	g.computingNow()
	t := build()
	if len(t) > 0 {
		_ = writeTable(g.cacheDir, path, t) // a cache that cannot be written only costs time
	}
	return TableOf(t)
}

// computingNow calls Options.Computing, if any, before a table is
// computed (a table that is too large for the cache is computed on demand,
// later, so this is called for it too).
func (g *Graph) computingNow() {
	if g.computing != nil {
		g.computing()
	}
}

// TableOf is a table held in memory (nil for nil words).
func TableOf(words []uint64) *Table {
	if words == nil {
		return nil
	}
	return &Table{data: words}
}

// Len is the number of words.
func (t *Table) Len() int { return len(t.data) }

// Words returns words [lo, hi) of the table (read only: it may be a
// read-only mapping), after checking the pages they lie on.
func (t *Table) Words(lo, hi int) []uint64 {
	if t.sums != nil && lo < hi {
		for p := lo / pageWords; p <= (hi-1)/pageWords; p++ {
			if atomic.LoadUint64(&t.checked[p/64])&(1<<(p%64)) == 0 {
				t.checkPage(p)
			}
		}
	}
	return t.data[lo:hi:hi]
}

// checkPage verifies page p of a mapped table; on a mismatch the table is
// recomputed in memory and the cache file rewritten.
func (t *Table) checkPage(p int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sums == nil || atomic.LoadUint64(&t.checked[p/64])&(1<<(p%64)) != 0 {
		return
	}
	if pageSum(t.data, p) == t.sums[p] {
		atomic.OrUint64(&t.checked[p/64], 1<<(p%64))
		return
	}
	fresh := t.build() // deterministic: the same words the file should hold
	_ = writeTable(t.dir, t.path, fresh)
	for k := range t.checked {
		atomic.StoreUint64(&t.checked[k], ^uint64(0))
	}
	// Words already returned stay valid: they were verified, so they hold
	// the values fresh holds.
	t.data, t.sums = fresh, nil
}

func pages(words int) int { return (words + pageWords - 1) / pageWords }

func pageSum(data []uint64, p int) uint32 {
	page := data[p*pageWords : min((p+1)*pageWords, len(data))]
	return crc32.Checksum(unsafe.Slice((*byte)(unsafe.Pointer(&page[0])), len(page)*8), castagnoli)
}

// A table file is the words, then a CRC-32C per page (padded to 8 bytes),
// then the number of words in 8 bytes, then the CRC-32C of the page sums
// and the count in 8 bytes. mapTable maps it and checks its size and that
// last checksum; the pages are checked as they are read.
func mapTable(path string) *Table {
	data, err := mapFile(path)
	if err != nil || len(data) < 16 || uintptr(unsafe.Pointer(&data[0]))%8 != 0 {
		return nil
	}
	count := binary.LittleEndian.Uint64(data[len(data)-16:])
	if count == 0 || count > uint64(len(data))/8 {
		return nil
	}
	words := int(count)
	np := pages(words)
	sumBytes := (4*np + 7) / 8 * 8
	if len(data) != 8*words+sumBytes+16 {
		return nil
	}
	tail := data[8*words:]
	if crc32.Checksum(tail[:sumBytes+8], castagnoli) != uint32(binary.LittleEndian.Uint64(tail[sumBytes+8:])) {
		return nil
	}
	return &Table{
		data:    unsafe.Slice((*uint64)(unsafe.Pointer(&data[0])), words),
		sums:    u32View(tail[:4*np]),
		checked: make([]uint64, (np+63)/64),
	}
}

func writeTable(dir, path string, t []uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	body := unsafe.Slice((*byte)(unsafe.Pointer(&t[0])), len(t)*8)
	np := pages(len(t))
	sums := make([]byte, 0, (4*np+7)/8*8+16)
	for p := range np {
		sums = binary.LittleEndian.AppendUint32(sums, pageSum(t, p))
	}
	for len(sums)%8 != 0 {
		sums = append(sums, 0)
	}
	sums = binary.LittleEndian.AppendUint64(sums, uint64(len(t)))
	sums = binary.LittleEndian.AppendUint64(sums, uint64(crc32.Checksum(sums, castagnoli)))
	err := writeCacheFile(path, body, sums)
	runtime.KeepAlive(t)
	if err != nil {
		return err
	}
	prune(dir, 8)
	return nil
}

func littleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// writeCacheFile replaces path whole with parts, through a temporary file
// and a rename, without syncing to disk: a cache file that a crash leaves
// short or zeroed fails its checksums and is rebuilt, so it needs no fsync
// (which costs more than the write for a table of tens of megabytes).
func writeCacheFile(path string, parts ...[]byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	for _, p := range parts {
		if _, err := tmp.Write(p); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
