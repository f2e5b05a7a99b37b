// Package outfile creates the files of a build's output tree, many of them
// into one directory, with as few system calls as the platform allows: a
// build writes two files per advisory, and at 100,000 advisories the calls
// around each creation (the runtime's registration of every open file with
// its poller: two fcntl pairs and an epoll_ctl that always fails for a
// regular file) cost more than the creation itself.
//
// A Dir is a directory opened inside an *os.Root (so it cannot escape the
// root); a file is created in it by a single name, never a path, so no
// symbolic link is ever followed: the name's last and only component is
// opened with O_NOFOLLOW.
package outfile

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Dir is one directory of the output tree. Safe for concurrent use.
type Dir struct {
	root *os.Root // the directory, for platforms without the fast path
	dir  *os.File // the directory, open for openat on Linux
}

// Open opens the directory name inside root (created first when it does
// not exist, with perm).
func Open(root *os.Root, name string, perm os.FileMode) (*Dir, error) {
	if name != "." {
		if err := root.MkdirAll(name, perm); err != nil {
			return nil, err
		}
	}
	sub, err := root.OpenRoot(name)
	if err != nil {
		return nil, err
	}
	d, err := open(sub)
	if err != nil {
		sub.Close()
		return nil, err
	}
	return d, nil
}

// WriteFile creates (or truncates) the file name in the directory and
// writes data to it. name is one path component.
func (d *Dir) WriteFile(name string, data []byte, perm os.FileMode) error {
	if err := checkName(name); err != nil {
		return err
	}
	return d.write(name, data, perm)
}

// Close releases the directory.
func (d *Dir) Close() error {
	var errs []error
	if d.dir != nil {
		errs = append(errs, d.dir.Close())
	}
	errs = append(errs, d.root.Close())
	return errors.Join(errs...)
}

// checkName refuses anything but one plain path component.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00") {
		return &os.PathError{Op: "create", Path: name, Err: fmt.Errorf("not a single file name")}
	}
	return nil
}
