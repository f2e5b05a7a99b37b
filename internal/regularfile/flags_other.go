//go:build !unix

package regularfile

// openFlags: Windows has neither O_NOFOLLOW nor FIFOs; there the check
// before the open (Lstat) and the kind of the open file (Stat) guard the
// read, and a link swapped in between the two is followed.
const openFlags = 0
