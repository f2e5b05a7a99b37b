package build

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/psf/advisory-builder/internal/lock"
)

// lockFile is one product's lock as the build read it from File.
type lockFile struct {
	Product string
	File    string
	Lock    *lock.Lock
}

// entries dates the entries of one product's lock: an entry's resolution
// landed at the oldest first-parent commit of the unbroken run (from HEAD
// back) whose lock holds an entry of the same content digest. The pipeline
// commits the locks to main before it builds, so this is when the resolver's
// answer was published to main; the upstream tag dates in the lock are
// written by whoever tags a release and are never trusted for `modified`.
//
// Only commits that changed the lock file's blob are parsed; a version of
// the lock that does not parse (an earlier format) counts as different
// content, which can only date an entry later, never earlier.
type entries struct {
	h       *history
	path    string            // repo-relative lock path
	blob    string            // the lock's blob at the commit being stepped
	pending map[string]string // advisory ID -> content digest
	found   map[string]time.Time
}

// entries starts tracking a lock: entries equal to HEAD's are pending, the
// others (the lock file is uncommitted or edited) get HEAD's time.
func (h *history) entries(head *object.Tree, lf lockFile) (*entries, error) {
	e := &entries{h: h, pending: map[string]string{}, found: map[string]time.Time{}}
	path, blob, err := h.blobOf(lf.File)
	if errors.Is(err, fs.ErrNotExist) {
		return e, nil // no lock: no entries
	}
	if err != nil {
		return nil, err
	}
	e.path, e.blob = path, blobAt(head, path)
	var committed map[string]string
	if e.blob != blob {
		if committed, err = e.digests(e.blob); err != nil {
			return nil, err
		}
	}
	for id, en := range lf.Lock.Advisories {
		d := en.ContentDigest()
		if committed != nil && committed[id] != d {
			e.found[id] = h.headTime
			continue
		}
		e.pending[id] = d
	}
	return e, nil
}

func (e *entries) step(t time.Time, parent *object.Tree) (bool, error) {
	if len(e.pending) == 0 {
		return false, nil
	}
	pb := ""
	if parent != nil {
		pb = blobAt(parent, e.path)
	}
	if pb == e.blob && parent != nil {
		return true, nil // the lock did not change in this commit
	}
	older, err := e.digests(pb)
	if err != nil {
		return false, err
	}
	for id, d := range e.pending {
		if older[id] != d {
			e.found[id] = t
			delete(e.pending, id)
		}
	}
	e.blob = pb
	return len(e.pending) > 0, nil
}

// digests reads the lock stored as blob and returns each entry's content
// digest; empty when there is no blob or it does not parse.
func (e *entries) digests(blob string) (map[string]string, error) {
	out := map[string]string{}
	if blob == "" {
		return out, nil
	}
	b, err := e.h.repo.BlobObject(plumbing.NewHash(blob))
	if err != nil {
		return nil, fmt.Errorf("reading %s (blob %s) from the database history: %w", e.path, blob, err)
	}
	r, err := b.Reader()
	if err != nil {
		return nil, fmt.Errorf("reading %s (blob %s) from the database history: %w", e.path, blob, err)
	}
	defer r.Close()
	l, err := lock.Parse(r)
	if err != nil {
		return out, nil
	}
	for id, en := range l.Advisories {
		out[id] = en.ContentDigest()
	}
	return out, nil
}

// lockFiles lists the products' locks for Times.
func lockFiles(root string, locks map[string]*lock.Lock) []lockFile {
	var out []lockFile
	for name, l := range locks {
		out = append(out, lockFile{Product: name, File: lock.Path(root, name), Lock: l})
	}
	return out
}
