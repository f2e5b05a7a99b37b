package lock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Path is where the lock of a product lives under the database root.
func Path(root, product string) string {
	return filepath.Join(root, "advisories", product+".lock.json")
}

// Read loads the lock of a product. A missing lock is not an error: it
// returns an empty lock (nothing resolved yet).
func Read(root, product string) (*Lock, error) {
	p := Path(root, product)
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return &Lock{Product: product, Advisories: map[string]*Entry{}}, nil
	}
	if err != nil {
		return nil, err
	}
	var l Lock
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("%s: %v (the lock is written by `advisory resolve`; re-run it rather than editing by hand)", p, err)
	}
	if l.Advisories == nil {
		l.Advisories = map[string]*Entry{}
	}
	return &l, nil
}

// Marshal renders the lock deterministically (sorted keys, two-space indent,
// trailing newline).
func (l *Lock) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Write stores the lock atomically (temporary file, then rename).
func Write(root string, l *Lock) error {
	data, err := l.Marshal()
	if err != nil {
		return err
	}
	p := Path(root, l.Product)
	tmp, err := os.CreateTemp(filepath.Dir(p), ".lock-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}
