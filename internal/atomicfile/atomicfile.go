// Package atomicfile replaces files whole: readers see the old content or
// the new, never a half-written file, even when the writer is killed.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write stores data at path through a temporary file in the same directory
// and a rename. The file gets mode 0644 (before umask).
func Write(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
