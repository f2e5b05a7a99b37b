package startup

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// madvHugepage is MADV_HUGEPAGE: back a range with transparent huge pages
// where the system allows it (its mode is "always" or "madvise").
const madvHugepage = 14

// hugePage is the size of a transparent huge page on x86-64 and arm64 with
// 4 KiB pages; a range is backed by huge pages only in whole, aligned ones.
const hugePage = 2 << 20

// holeBlock is the size of the blocks that hold the free holes left below
// the marked range: 16 pages of 8 KiB, the smallest request the runtime's
// page allocator serves from its free list rather than a per-P cache.
const holeBlock = 128 << 10

// maxHoles bounds the holding loop: 8 MiB of address space, never touched.
const maxHoles = 64

// holes keeps the blocks that fill the free space below the marked range
// allocated for the life of the process, so that nothing else lands there.
var holes []*strings.Builder

// thpSetting is where the kernel says whether transparent huge pages may be
// used.
const thpSetting = "/sys/kernel/mm/transparent_hugepage/enabled"

// prepareHeap makes the next n bytes of the heap cheap to fault in. On this
// project's virtual machines a fresh 4 KiB page costs 13 to 14 µs to fault
// in, and a fresh 2 MiB transparent huge page about 140 µs
// (docs/benchmarks.md, "Issue 22, round 6"): the heap a short command uses,
// 10 to 30 MB, costs a few thousand faults, or a few dozen.
//
// The runtime maps its heap 4 MiB at a time with mmap, and Go does not ask
// for huge pages, so this asks for them itself:
//  1. one large allocation, never written (freshBlock), makes the runtime
//     map n bytes of fresh heap in one go at no cost in memory;
//  2. that range is marked MADV_HUGEPAGE;
//  3. one collection, cheap while the heap is a few megabytes, frees it;
//  4. the free holes below it, in 2 MiB blocks the earlier packages have
//     already faulted in page by page, are filled with blocks allocated
//     without zeroing and never written, so that later allocations, which
//     take the lowest free address, land in the marked range.
//
// Nothing here changes what memory holds, and every failure is ignored: a
// kernel without transparent huge pages, or with them set to "never", or
// GODEBUG=disablethp=1 (the runtime's own switch for keeping its heap off
// huge pages) makes this a no-op, and the heap then behaves as it always
// does.
//
// Later in a run (holes false) the holes are left alone: they lie in
// memory the run has already used.
func prepareHeap(n uintptr, holes bool) {
	if !hugePagesAllowed() {
		return
	}
	block := freshBlock(n)
	at := uintptr(unsafe.Pointer(unsafe.StringData(block.String())))
	if at == 0 {
		return
	}
	start := at &^ (hugePage - 1)
	end := (at + n) &^ (hugePage - 1)
	syscall.Syscall(syscall.SYS_MADVISE, start, end-start, madvHugepage)
	runtime.KeepAlive(block) // not freed before it is marked
	runtime.GC()
	if holes {
		holdHolesBelow((at + hugePage - 1) &^ (hugePage - 1))
	}
}

// freshBlock allocates n bytes without zeroing them (an empty builder
// grown to n; its String's data is their address, or nil): the runtime
// maps them as fresh heap, and nothing writes them. Without zeroing matters
// once the heap has been used: a block placed in memory the runtime has
// handed out before would be cleared, and so faulted in page by page,
// before it could be marked.
func freshBlock(n uintptr) *strings.Builder {
	b := new(strings.Builder)
	b.Grow(int(n))
	return b
}

// hugePagesAllowed reports whether the kernel's setting is "always" or
// "madvise" (the chosen value is the one in brackets), unless GODEBUG asks
// the runtime to keep huge pages off its heap (disablethp=1).
func hugePagesAllowed() bool {
	if thpDisabledBy(os.Getenv("GODEBUG")) {
		return false
	}
	setting, err := os.ReadFile(thpSetting)
	return err == nil && (bytes.Contains(setting, []byte("[always]")) || bytes.Contains(setting, []byte("[madvise]")))
}

// thpDisabledBy reports whether a GODEBUG value sets disablethp=1; as for
// the runtime, the last setting of a key wins.
func thpDisabledBy(godebug string) bool {
	disabled := false
	for _, kv := range strings.Split(godebug, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok && k == "disablethp" {
			disabled = v == "1"
		}
	}
	return disabled
}

// holdHolesBelow allocates blocks until one lands at or above clean, and
// keeps those below it. strings.Builder.Grow allocates without zeroing, so
// no block is written: the holes stay unfaulted and cost no memory.
func holdHolesBelow(clean uintptr) {
	for range maxHoles {
		b := freshBlock(holeBlock)
		p := unsafe.StringData(b.String())
		if p == nil || uintptr(unsafe.Pointer(p)) >= clean {
			return
		}
		holes = append(holes, b)
	}
}
