package gitgraph

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"unsafe"
)

// Table returns a table of words computed from the graph by fill (which
// receives it zeroed), cached next to the graph: a later run with the same
// refs and the same name maps the file instead of computing it, and only
// the pages it reads are loaded. name must say everything the table depends
// on besides the graph (for the resolver: its tips). A cached table whose
// size or CRC-32C does not match is recomputed, never trusted. Without a
// cache (or on a big-endian machine) it is computed every time.
func (g *Graph) Table(name string, words int, fill func([]uint64)) []uint64 {
	if g.cacheDir == "" || g.key == "" || !littleEndian() || words == 0 {
		t := make([]uint64, words)
		fill(t)
		return t
	}
	sum := sha256.Sum256([]byte(name))
	path := filepath.Join(g.cacheDir, g.key+"-"+hex.EncodeToString(sum[:8])+".table")
	if t := mapTable(path, words); t != nil {
		return t
	}
	t := make([]uint64, words)
	fill(t)
	_ = writeTable(g.cacheDir, path, t) // a cache that cannot be written only costs time
	return t
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// A table file is the words, then their CRC-32C in 8 bytes.
func mapTable(path string, words int) []uint64 {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() != int64(words)*8+8 {
		return nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	body := data[:words*8]
	if crc32.Checksum(body, castagnoli) != uint32(binary.LittleEndian.Uint64(data[words*8:])) {
		syscall.Munmap(data)
		return nil
	}
	// The mapping lives as long as the process: tables are loaded once per
	// run and read until it ends.
	return unsafe.Slice((*uint64)(unsafe.Pointer(&body[0])), words)
}

func writeTable(dir, path string, t []uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	body := unsafe.Slice((*byte)(unsafe.Pointer(&t[0])), len(t)*8)
	sum := binary.LittleEndian.AppendUint64(nil, uint64(crc32.Checksum(body, castagnoli)))
	err := writeCacheFile(path, body, sum)
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
// short fails its checksum and is rebuilt, so it needs no fsync (which
// costs more than the write for a table of tens of megabytes).
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
