//go:build !linux

package outfile

import "os"

// list is os.File.ReadDir's listing where getdents64 does not exist.
func list(_ *os.Root, dir *os.File) ([]Entry, error) {
	ents, err := dir.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(ents))
	for i, e := range ents {
		out[i] = Entry{Name: e.Name(), Type: e.Type()}
	}
	return out, nil
}
