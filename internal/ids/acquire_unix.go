//go:build unix

package ids

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// acquire takes the work tree's assign-ids lock: an exclusive advisory
// lock (flock) on the advisories directory itself. No lock file is made, so
// an interrupted run leaves nothing behind and no committed file can hold
// the lock; the kernel drops it when the process ends.
func acquire(root string) (func(), error) {
	dir := filepath.Join(root, "advisories")
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is locked: another assign-ids run is in progress in this work tree; wait for it to finish", dir)
		}
		return nil, fmt.Errorf("locking %s: %v", dir, err)
	}
	return func() { f.Close() }, nil
}
