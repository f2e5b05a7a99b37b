// Package atomicfile replaces files whole: readers see the old content or
// the new, never a half-written file, even when the writer is killed.
package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// Write stores data at path through a temporary file in the same directory
// and a rename. The file gets mode 0644 (before umask). The data reach the
// disk (Sync) before the rename, so a crash right after it cannot leave an
// empty or partial file under the final name; the directory is synced after
// it, so the rename itself survives a crash.
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
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir flushes a directory's entries. File systems that cannot sync a
// directory (EINVAL) have nothing to flush.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
