//go:build !linux

package startup

// prefaultHeap does nothing where MADV_POPULATE_WRITE does not exist.
func prefaultHeap(uintptr) {}
