package lock

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/atomicfile"
)

// Path is where the lock of a product lives under the database root.
func Path(root, product string) string {
	return filepath.Join(root, "advisories", advisory.LockFile(product))
}

// Read loads the lock of a product. A missing lock is not an error: it
// returns an empty lock (nothing resolved yet).
func Read(root, product string) (*Lock, error) {
	p := Path(root, product)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return &Lock{Product: product, Advisories: map[string]*Entry{}}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := decode(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return nil, readError(p, product, err)
	}
	l.intern()
	return l, nil
}

// Parse reads a lock from r (a committed version of a lock file, for
// example) with the rules of Read.
func Parse(r io.Reader) (*Lock, error) {
	return decode(bufio.NewReaderSize(r, 64<<10))
}

// decode reads a lock one advisory entry at a time, so a large lock never
// sits in memory as text and as values at once. Unknown fields are errors.
func decode(r io.Reader) (*Lock, error) {
	l := &Lock{Advisories: map[string]*Entry{}}
	err := decodeEach(r, l, func(id string, e *Entry) error {
		l.Advisories[id] = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// decodeEach reads a lock's fields into l and hands each advisory entry to
// each, in file order (an ID listed twice comes twice; the last counts),
// without keeping it. Unknown fields are errors.
func decodeEach(r io.Reader, l *Lock, each func(id string, e *Entry) error) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		start := dec.InputOffset()
		key, err := dec.Token()
		if err != nil {
			return at(start, err)
		}
		if err := at(start, decodeField(dec, l, key, each)); err != nil {
			return err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return err
	}
	start := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return at(start, fmt.Errorf("unexpected data after the lock object"))
	}
	return nil
}

func decodeField(dec *json.Decoder, l *Lock, key json.Token, each func(string, *Entry) error) error {
	switch key {
	case "product":
		return dec.Decode(&l.Product)
	case "repo":
		return dec.Decode(&l.Repo)
	case "tags":
		return dec.Decode(&l.Tags)
	case "tags_digest":
		return dec.Decode(&l.TagsDigest)
	case "advisories":
		return decodeEntries(dec, each)
	}
	return fmt.Errorf("unknown field %v", key)
}

func decodeEntries(dec *json.Decoder, each func(string, *Entry) error) error {
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		start := dec.InputOffset()
		id, err := dec.Token()
		if err != nil {
			return at(start, err)
		}
		e := new(Entry)
		if err := dec.Decode(e); err != nil {
			return at(start, fmt.Errorf("advisories.%v: %w", id, err))
		}
		if err := each(id.(string), e); err != nil {
			return at(start, err)
		}
	}
	return expectDelim(dec, '}')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	start := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return at(start, err)
	}
	if tok != want {
		return at(start, fmt.Errorf("expected %q, found %v", want.String(), tokenText(tok)))
	}
	return nil
}

// tokenText names a JSON token for an error message.
func tokenText(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", t.String())
	case string:
		return fmt.Sprintf("the string %q", t)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// readError places a decoding error of the lock file p at its line and
// column and says how to repair the lock.
func readError(p, product string, err error) error {
	fix := fmt.Sprintf("the lock is written by `advisory resolve --product %s`: restore it with `git checkout -- %s` or re-run the resolver rather than editing it by hand", product, p)
	var oe *offsetError
	if !errors.As(err, &oe) {
		return fmt.Errorf("%s: %v; %s", p, err, fix)
	}
	b, rerr := os.ReadFile(p)
	if rerr != nil {
		return fmt.Errorf("%s: %v; %s", p, err, fix)
	}
	line, col := position(b, oe)
	return fmt.Errorf("%s:%d:%d: %v; %s", p, line, col, oe.err, fix)
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
