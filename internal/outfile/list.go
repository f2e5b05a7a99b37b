package outfile

import (
	"io/fs"
	"os"
)

// Entry is one name in a directory of the output tree and its type (the
// type bits of fs.FileMode: 0 for a regular file).
type Entry struct {
	Name string
	Type fs.FileMode
}

// IsDir reports whether the entry is a directory.
func (e Entry) IsDir() bool { return e.Type.IsDir() }

// List names the entries of root's top directory, in the order the
// directory gives them, with their types; "." and ".." are left out.
//
// It is os.File.ReadDir without its cost inside an os.Root: a directory
// opened in a Root has every entry's type taken by lstat, one system call
// per name (200,000 of them when SHA256SUMS lists a 100,000-advisory
// build), although the directory itself records the type. List reads the
// recorded types (getdents on Linux) and asks lstat only for an entry
// whose file system does not record it.
func List(root *os.Root) ([]Entry, error) {
	f, err := root.Open(".")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return list(root, f)
}

// lstatType is the type of name in root, for an entry listed without one.
func lstatType(root *os.Root, name string) (fs.FileMode, error) {
	fi, err := root.Lstat(name)
	if err != nil {
		return 0, err
	}
	return fi.Mode().Type(), nil
}
