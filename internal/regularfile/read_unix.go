//go:build unix

package regularfile

import (
	"io"
	"syscall"
)

// readOpened is readFile with plain system calls: open, fstat, read until
// the end, close. A file read this way is never registered with the
// runtime's poller (a regular file never blocks), which saves a failing
// epoll_ctl and the os.File bookkeeping for each of the 100,000 sources a
// large database lists.
func readOpened(path string, limit int64) ([]byte, error) {
	fd, err := openNoFollow(path)
	if err == syscall.ELOOP {
		return nil, ErrSymlink
	}
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := fstat(fd, &st); err != nil {
		return nil, err
	}
	switch {
	case uint32(st.Mode)&syscall.S_IFMT == syscall.S_IFLNK:
		return nil, ErrSymlink
	case uint32(st.Mode)&syscall.S_IFMT != syscall.S_IFREG:
		return nil, ErrNotRegular
	case st.Size > limit:
		return nil, &TooLargeError{Size: st.Size, Limit: limit}
	}
	return readLimited(fdReader(fd), st.Size, limit)
}

func openNoFollow(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

func fstat(fd int, st *syscall.Stat_t) error {
	for {
		err := syscall.Fstat(fd, st)
		if err != syscall.EINTR {
			return err
		}
	}
}

// fdReader reads a descriptor, io.Reader style (0 bytes read is the end).
type fdReader int

func (r fdReader) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(int(r), p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}
