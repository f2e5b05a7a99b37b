//go:build unix

package regularfile

import "syscall"

// openFlags open without following a final symbolic link and without
// blocking on a FIFO.
const openFlags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
