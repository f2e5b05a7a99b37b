package regularfile

import (
	"os"
	"syscall"
)

// OpenIn opens the regular file name inside root for reading without ever
// blocking: a FIFO or device put where a file is expected is refused, not
// waited on. Errors are ErrNotRegular or the system's error.
func OpenIn(root *os.Root, name string) (*os.File, os.FileInfo, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, unwrap(err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = ErrNotRegular
	}
	if err != nil {
		f.Close()
		return nil, nil, unwrap(err)
	}
	return f, fi, nil
}

// ReadIn reads the regular file name inside root, at most limit bytes, with
// the refusals of OpenIn and Read.
func ReadIn(root *os.Root, name string, limit int64) ([]byte, error) {
	f, fi, err := OpenIn(root, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > limit {
		return nil, &TooLargeError{Size: fi.Size(), Limit: limit}
	}
	return readLimited(f, fi.Size(), limit)
}
