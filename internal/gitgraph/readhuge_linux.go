package gitgraph

import (
	"io"
	"os"
	"syscall"
)

// hugePage is the size of a transparent huge page on amd64 and arm64.
const hugePage = 2 << 20

// readHuge reads the whole file f of size bytes into memory backed by
// transparent huge pages where the kernel grants them (madvise mode, as
// most distributions ship): a cache file that is read whole (checksummed)
// then costs a few 2 MiB page faults instead of one fault per 4 KiB page
// of a mapping, which on a virtual machine costs more than the copy. The
// memory lives as long as the process, like a mapping of the file. nil
// when it cannot (the caller maps the file instead).
func readHuge(f *os.File, size int) []byte {
	if size < hugePage {
		return nil
	}
	mem, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	_ = syscall.Madvise(mem, madvHugePage) // only a hint
	// the first 2 MiB boundary inside the mapping: huge pages are aligned
	off := 0
	if rem := int(uintptrOf(mem) % hugePage); rem != 0 {
		off = hugePage - rem
	}
	buf := mem[off : off+size : off+size]
	if _, err := io.ReadFull(f, buf); err != nil {
		syscall.Munmap(mem)
		return nil
	}
	return buf
}

const madvHugePage = 14 // MADV_HUGEPAGE
