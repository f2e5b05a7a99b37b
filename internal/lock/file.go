package lock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/psf/advisory-builder/internal/atomicfile"
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
	l.intern()
	return &l, nil
}

// intern makes the many repeated strings of a lock (release tags, branch
// names, statuses, sources) share one copy each: a large database lists the
// same few hundred tags hundreds of thousands of times.
func (l *Lock) intern() {
	seen := map[string]string{}
	in := func(s *string) {
		if c, ok := seen[*s]; ok {
			*s = c
		} else {
			seen[*s] = *s
		}
	}
	for _, e := range l.Advisories {
		for i := range e.Versions {
			in(&e.Versions[i])
		}
		for i := range e.Fixed {
			f := &e.Fixed[i]
			in(&f.Branch)
			in(&f.Source)
			in(&f.Tag)
		}
		for i := range e.Branches {
			b := &e.Branches[i]
			for _, s := range []*string{&b.Branch, &b.Status, &b.FirstAffected, &b.LastAffected, &b.FixedIn} {
				in(s)
			}
		}
		in(&e.Changed)
	}
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
	return atomicfile.Write(Path(root, l.Product), data)
}
