package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/psf/advisory-builder/internal/lock"
)

// lockFile is one product's lock as the build read it from File.
type lockFile struct {
	Product string
	File    string
	Lock    *lock.Packed
}

// entries dates the entries of one product's lock: an entry's resolution
// landed at the oldest first-parent commit of the unbroken run (from HEAD
// back) whose lock holds an entry of the same content digest. The pipeline
// commits the locks to main before it builds, so this is when the resolver's
// answer was published to main; the upstream tag dates in the lock are
// written by whoever tags a release and are never trusted for `modified`.
//
// Only commits that changed the lock file's blob are read, each through
// one `git cat-file --batch` process, and cut into entries by the fixed
// indentation lock.Marshal writes: an entry whose bytes equal HEAD's is
// unchanged without decoding anything; only an entry whose bytes differ
// is decoded, to compare content digests (a `changed` date or warnings
// may differ). A version in another form is decoded whole; one that does
// not parse counts as different content, which can only date an entry
// later, never earlier.
type entries struct {
	h       *history
	path    string // repo-relative lock path
	blob    string // the lock's blob at the commit being stepped
	pending map[string]pendingEntry
	found   map[string]time.Time
}

// entries starts tracking a lock: entries equal to HEAD's are pending, the
// others (the lock file is uncommitted or edited) get HEAD's time.
func (h *history) entries(head *object.Tree, lf lockFile) (*entries, error) {
	e := &entries{h: h, pending: map[string]pendingEntry{}, found: map[string]time.Time{}}
	path, blob, err := h.blobOf(lf.File)
	if errors.Is(err, fs.ErrNotExist) {
		return e, nil // no lock: no entries
	}
	if err != nil {
		return nil, err
	}
	e.path, e.blob = path, blobAt(head, path)
	data, err := os.ReadFile(lf.File)
	if err != nil {
		return nil, err
	}
	current := readLockVersion(data, h.legacy)
	var committed lockVersion
	edited := e.blob != blob
	if edited {
		if committed, err = e.version(e.blob); err != nil {
			return nil, err
		}
	}
	for id, en := range lf.Lock.All() {
		want := newPendingEntry(current.raw[id], en.ContentDigest())
		if edited && !committed.same(id, want) {
			e.found[id] = h.headTime
			continue
		}
		e.pending[id] = want
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
	older, err := e.version(pb)
	if err != nil {
		return false, err
	}
	for id, want := range e.pending {
		if !older.same(id, want) {
			e.found[id] = t
			delete(e.pending, id)
		}
	}
	e.blob = pb
	return len(e.pending) > 0, nil
}

// version reads the lock stored as blob; empty when there is no blob.
func (e *entries) version(blob string) (lockVersion, error) {
	if blob == "" {
		return lockVersion{digests: map[string]string{}}, nil
	}
	data, err := e.h.blobs().read(blob)
	if err != nil {
		return lockVersion{}, fmt.Errorf("reading %s (blob %s) from the database history: %w", e.path, blob, err)
	}
	return readLockVersion(data, e.h.legacy), nil
}

// lockFiles lists the products' locks for Times.
func lockFiles(root string, locks map[string]*lock.Packed) []lockFile {
	var out []lockFile
	for name, l := range locks {
		out = append(out, lockFile{Product: name, File: lock.Path(root, name), Lock: l})
	}
	return out
}
