//go:build !linux

package outfile

import "os"

func open(root *os.Root) (*Dir, error) { return &Dir{root: root}, nil }

func (d *Dir) write(name string, data []byte, perm os.FileMode) error {
	return d.root.WriteFile(name, data, perm)
}
