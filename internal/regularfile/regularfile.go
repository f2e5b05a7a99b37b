// Package regularfile reads files an attacker may have placed: only regular
// files, never through a symbolic link, never blocking on a FIFO or a
// device, and never reading more than a size cap.
package regularfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ErrSymlink is returned for a symbolic link.
var ErrSymlink = errors.New("symbolic link")

// ErrNotRegular is returned for a directory, FIFO, socket or device.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is returned for a file over the size cap. Size is -1 when
// the file grew past the cap while it was read.
type TooLargeError struct {
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("over the %d-byte limit", e.Limit)
	}
	return fmt.Sprintf("%d bytes, over the %d-byte limit", e.Size, e.Limit)
}

// Read returns the content of the regular file at path if it holds at most
// limit bytes. The kind and size are checked before opening (so nothing is
// read from an oversize file), again on the open file (so a file swapped in
// between is caught), and the read stops at limit+1 bytes. Errors are
// ErrSymlink, ErrNotRegular, *TooLargeError or the system's error, without
// the path (callers name the file).
func Read(path string, limit int64) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, unwrap(err)
	}
	if err := check(fi, limit); err != nil {
		return nil, err
	}
	return readOpened(path, limit)
}

// ReadListed is Read for a file that a directory listing showed as a
// regular file (listed is its fs.DirEntry.Type()): the listing, made just
// before, stands in for Read's first check (one system call less per file
// of a large directory); the open file is checked as Read checks it. A file
// listed as anything else goes through Read.
func ReadListed(path string, listed fs.FileMode, limit int64) ([]byte, error) {
	if !listed.IsRegular() {
		return Read(path, limit)
	}
	return readOpened(path, limit)
}

// readFile opens path without following a link or blocking, checks the
// open file's kind and size, and reads it (through the os package; unix
// has a shorter path, readOpened).
func readFile(path string, limit int64) ([]byte, error) {
	// openFlags: O_NOFOLLOW refuses a link swapped in after the first
	// check; O_NONBLOCK keeps a FIFO swapped in from blocking the open.
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, ErrSymlink
	}
	if err != nil {
		return nil, unwrap(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, unwrap(err)
	}
	if err := check(fi, limit); err != nil {
		return nil, err
	}
	return readLimited(f, fi.Size(), limit)
}

// readLimited reads r whole, refusing more than limit bytes (a file that
// grew after its size was checked). size is the expected length: the
// buffer holds it and one byte more, so a file that did not change is read
// in one allocation and two reads (its bytes, then the end).
func readLimited(r io.Reader, size, limit int64) ([]byte, error) {
	data := make([]byte, 0, min(max(size, 0), limit)+1)
	lr := io.LimitReader(r, limit+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grown by append's rule
		}
		n, err := lr.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, unwrap(err)
		}
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Size: -1, Limit: limit}
	}
	return data, nil
}

// Check reports whether a file described by fi (from Lstat) may be read
// with limit: the errors of Read, without opening anything.
func Check(fi fs.FileInfo, limit int64) error { return check(fi, limit) }

func check(fi fs.FileInfo, limit int64) error {
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return ErrSymlink
	case !fi.Mode().IsRegular():
		return ErrNotRegular
	case fi.Size() > limit:
		return &TooLargeError{Size: fi.Size(), Limit: limit}
	}
	return nil
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
