//go:build linux || darwin

package build

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockDir holds an exclusive lock on the directory dir until the returned
// function runs (or the process dies), so no other build takes it for a
// leftover.
func lockDir(dir string) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// tryLock locks dir if no running build holds it.
func tryLock(dir string) (func(), bool) {
	unlock, err := lockDir(dir)
	return unlock, err == nil
}
