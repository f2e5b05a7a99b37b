//go:build !linux

package startup

// prepareHeap does nothing where transparent huge pages do not exist.
func prepareHeap(uintptr, bool) {}
