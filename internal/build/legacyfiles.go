package build

import (
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
)

// legacyFiles tracks source files path by path, as the build did before
// (the benchmarks' baseline, and the walk for irregular trees): a path's content landed at the oldest commit
// of the unbroken run (from HEAD back) holding the wanted blob at it.
type legacyFiles struct {
	pending map[string]string // path -> blob still held by the parent
	found   map[string]time.Time
}

func (fs *legacyFiles) step(t time.Time, parent *object.Tree) (bool, error) {
	for p, blob := range fs.pending {
		pb := ""
		if parent != nil {
			var err error
			if pb, err = blobAt(parent, p); err != nil {
				return false, err
			}
		}
		if pb != blob {
			fs.found[p] = t
			delete(fs.pending, p)
		}
	}
	return len(fs.pending) > 0, nil
}
