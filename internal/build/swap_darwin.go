package build

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps the directories at a and b atomically.
func exchange(a, b string) error {
	err := unix.RenamexNp(a, b, unix.RENAME_SWAP)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOTSUP) {
		return errNoExchange
	}
	return err
}
