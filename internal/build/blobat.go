package build

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// blobAt is the hash of what the tree t holds at path (slash-separated),
// "" when it holds nothing there: the name is missing, or one of its
// parents is missing or is not a directory. A tree that cannot be read (a
// damaged or partial repository) is an error, never "nothing there": the
// history walks would otherwise date every entry of a lock, or a source,
// at the commit above the damage, a claim the repository does not make.
func blobAt(t *object.Tree, path string) (string, error) {
	e, err := t.FindEntry(path)
	switch {
	case err == nil:
		return e.Hash.String(), nil
	case errors.Is(err, object.ErrEntryNotFound), errors.Is(err, object.ErrDirectoryNotFound):
		return "", nil
	}
	// go-git also says "object not found" for a parent that is a file (a
	// blob asked for as a tree): that is nothing there, not damage.
	if file, ferr := parentIsFile(t, path); ferr == nil && file {
		return "", nil
	}
	return "", fmt.Errorf("reading %s in tree %s: %w: the repository is damaged or partial, so its history cannot date this file (git fsck says what is missing)", path, t.Hash, err)
}

// parentIsFile tells whether a parent directory of path is, in t, an entry
// that is not a directory.
func parentIsFile(t *object.Tree, path string) (bool, error) {
	parts := strings.Split(path, "/")
	for i := 1; i < len(parts); i++ {
		e, err := t.FindEntry(strings.Join(parts[:i], "/"))
		if err != nil {
			return false, err
		}
		if e.Mode != filemode.Dir {
			return true, nil
		}
	}
	return false, nil
}
