package outfile

import (
	"io"
	"os"
	"syscall"
)

// open keeps the directory open as a file, for openat.
func open(root *os.Root) (*Dir, error) {
	f, err := root.Open(".")
	if err != nil {
		return nil, err
	}
	return &Dir{root: root, dir: f}, nil
}

// write creates name with openat relative to the directory, writes data
// and closes it: three system calls for a file written in one write,
// without registering the descriptor with the runtime's poller (a regular
// file never blocks).
func (d *Dir) write(name string, data []byte, perm os.FileMode) error {
	conn, err := d.dir.SyscallConn()
	if err != nil {
		return err
	}
	var werr error
	cerr := conn.Control(func(dirfd uintptr) {
		werr = writeAt(int(dirfd), name, data, perm)
	})
	if cerr != nil {
		return cerr
	}
	return werr
}

func writeAt(dirfd int, name string, data []byte, perm os.FileMode) error {
	fd, err := openat(dirfd, name, perm)
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err == nil && n <= 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			syscall.Close(fd)
			return &os.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

// flags create or truncate a file for writing, never through a symbolic
// link, and never block on a FIFO that stands in its place (ENXIO instead).
const flags = syscall.O_WRONLY | syscall.O_CREAT | syscall.O_TRUNC | syscall.O_NOFOLLOW | syscall.O_NONBLOCK | syscall.O_CLOEXEC

func openat(dirfd int, name string, perm os.FileMode) (int, error) {
	for {
		fd, err := syscall.Openat(dirfd, name, flags, uint32(perm.Perm()))
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
