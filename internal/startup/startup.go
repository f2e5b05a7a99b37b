// Package startup makes the program's start cheaper. Every command links
// every package, and their initialisation (the JSON Schema library's
// meta-schemas, the Markdown and HTML sanitiser tables: about 25 ms on the
// development machine) allocates about 5 MB, of which about 1 MB is kept.
// While it runs, this package keeps the garbage collector off (it ran two
// or three cycles there, each marking and sweeping a heap that was mostly
// about to be garbage anyway) and has the heap the rest of the start and a
// short command use backed by transparent huge pages (prepareHeap). The
// CLI calls Done before it runs a command, but for `versions`, which calls
// it only before work its cache does not serve: a warm run then collects
// no garbage at all. A build, whose heap grows to its memory limit, readies
// that much more with HeapAhead. docs/benchmarks.md ("process start",
// "Issue 22, round 6") has the measurements.
//
// The package imports only the runtime and small standard packages, so
// that it is initialised before the heavy ones; packages whose import
// paths sort before this one's and need nothing heavier are initialised
// before it (Go initialises, of the packages ready, the first by path).
package startup

import "runtime/debug"

// gcPercent is the setting GOGC gave (100 by default, -1 for off).
var gcPercent = debug.SetGCPercent(-1)

// heapAhead is how much heap the start readies: more than a warm
// `versions` or `check` allocates in all.
const heapAhead = 32 << 20

// maxHeapAhead bounds what HeapAhead readies.
const maxHeapAhead = 1 << 30

func init() { prepareHeap(heapAhead, true) }

// Done turns the garbage collector back on with the setting GOGC gave; it
// may be called more than once.
func Done() { debug.SetGCPercent(gcPercent) }

// HeapAhead readies n more bytes of heap (at most 1 GiB) the way the start
// readies its own, for a command about to allocate that much: backed by
// huge pages where the kernel allows, at the cost of one collection. The
// memory is not touched here; it costs only address space until used.
func HeapAhead(n int64) {
	if n > 0 {
		prepareHeap(uintptr(min(n, maxHeapAhead)), false)
	}
}
