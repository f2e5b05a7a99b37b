//go:build unix

package gitgraph

import (
	"os"
	"syscall"
)

// mapOpen maps size bytes of f read-only.
func mapOpen(f *os.File, size int) ([]byte, error) {
	return syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_PRIVATE|mapPopulate)
}
