package startup

import (
	"syscall"
	"unsafe"
)

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14): fault a range in
// for writing, in one call.
const madvPopulateWrite = 23

// heapChunk is the unit in which the Go runtime maps its heap arena
// (pallocChunkBytes): the memory it has mapped for the heap begins and ends
// on such a boundary.
const heapChunk = 4 << 20

// prefaultHeap faults in, with one madvise a chunk, the heap memory the
// runtime has mapped around the place where it is allocating now, up to n
// bytes past it: the memory the packages still to initialise and a short
// command will use. Each page would otherwise cost a page fault when first
// written, and on the virtual machines this project is measured on a fault
// costs about 10 µs, against about 1 µs a page populated in bulk
// (docs/benchmarks.md, "process start"). Chunks the runtime has not mapped
// yet are refused by the kernel (EINVAL) and skipped, as is everything on
// a kernel without MADV_POPULATE_WRITE: populating only ever makes pages
// resident, never changes what they hold.
func prefaultHeap(n uintptr) {
	probe := make([]byte, 256<<10) // large: placed by the page allocator, where the heap grows
	at := uintptr(unsafe.Pointer(&probe[0]))
	for c := at&^(heapChunk-1) - heapChunk; c < at+n; c += heapChunk {
		syscall.Syscall(syscall.SYS_MADVISE, c, heapChunk, madvPopulateWrite)
	}
}
