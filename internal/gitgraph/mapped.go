package gitgraph

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"unsafe"
)

// Cache files are mapped, not read: the page cache serves them without a
// copy, and on Linux every page is set up in the mapping call
// (mapPopulate), since a run reads nearly all of each. A mapping lives as long
// as the process (a graph or table read from it is used until the run
// ends); cache files are only ever replaced by a rename, never rewritten in
// place, so a mapping always sees the file it opened.

// mapFile maps the whole file at path read-only; a file that cannot be
// mapped (empty, a file system without mmap, a system without mmap: see
// mapOpen) is read instead.
func mapFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if size <= 0 || size != int64(int(size)) {
		return nil, fmt.Errorf("%s: empty or too large", path)
	}
	data, err := mapOpen(f, int(size))
	if err != nil {
		return os.ReadFile(path)
	}
	return data, nil
}

// mapChecked maps a cache file written by writeRaw (a CRC-32C, then the
// payload) and checks the checksum, so that a damaged entry is never
// trusted; it returns the payload.
func mapChecked(path string) ([]byte, error) {
	data, err := mapFile(path)
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

// u32View returns b (a multiple of 4 bytes) as little-endian words: the
// same memory when the machine is little-endian and b is aligned, else a
// decoded copy.
func u32View(b []byte) []uint32 {
	n := len(b) / 4
	if n == 0 {
		return []uint32{}
	}
	if littleEndian() && uintptr(unsafe.Pointer(&b[0]))%4 == 0 {
		return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), n)
	}
	out := make([]uint32, n)
	for k := range out {
		out[k] = binary.LittleEndian.Uint32(b[4*k:])
	}
	return out
}

// i64View is u32View for 64-bit signed words.
func i64View(b []byte) []int64 {
	n := len(b) / 8
	if n == 0 {
		return []int64{}
	}
	if littleEndian() && uintptr(unsafe.Pointer(&b[0]))%8 == 0 {
		return unsafe.Slice((*int64)(unsafe.Pointer(&b[0])), n)
	}
	out := make([]int64, n)
	for k := range out {
		out[k] = int64(binary.LittleEndian.Uint64(b[8*k:]))
	}
	return out
}
