package publish

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// addedBy lists the IDs of the records the commit head added: the record
// files of its tree (snap) its first parent's tree lacks, or every record
// of a root commit. It is derived from the published state alone, so it
// gives the same answer however often it is asked.
func addedBy(st storer.EncodedObjectStorer, head plumbing.Hash, snap *snapshot) ([]string, error) {
	c, err := object.GetCommit(st, head)
	if err != nil {
		return nil, fmt.Errorf("reading published commit %s: %w", head, err)
	}
	before := map[string]bool{}
	if c.NumParents() > 0 {
		if before, err = recordPaths(st, c.ParentHashes[0]); err != nil {
			return nil, err
		}
	}
	var ids []string
	for p, r := range snap.records {
		if !before[p] {
			ids = append(ids, r.ID)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// recordPaths lists the record files of a commit's tree, reading no blob.
func recordPaths(st storer.EncodedObjectStorer, commit plumbing.Hash) (map[string]bool, error) {
	t, err := commitTree(st, commit)
	if err != nil {
		return nil, err
	}
	w := object.NewTreeWalker(t, true, nil)
	defer w.Close()
	paths := map[string]bool{}
	for {
		name, e, err := w.Next()
		if errors.Is(err, io.EOF) {
			return paths, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the tree of %s: %w", commit, err)
		}
		if e.Mode.IsFile() && isRecordPath(name) {
			paths[name] = true
		}
	}
}
