//go:build !unix

package gitgraph

import (
	"errors"
	"os"
)

// mapOpen does not map where the standard library has no mmap: mapFile
// reads the file instead.
func mapOpen(*os.File, int) ([]byte, error) {
	return nil, errors.New("no mmap on this system")
}
