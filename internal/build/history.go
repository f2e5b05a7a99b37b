package build

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// history tells when the current content of each source file was committed
// to the database repository: the input behind the derived `modified` time.
type history struct {
	repo *git.Repository
	top  string // work tree root
	head *object.Commit
}

// openHistory opens the git repository holding root, or returns nil when
// root is not in one (then no commit times are used).
func openHistory(root string) (*history, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	repo, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening the database repository: %w", err)
	}
	ref, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, nil // no commit yet
	}
	if err != nil {
		return nil, fmt.Errorf("reading HEAD of the database repository: %w", err)
	}
	head, err := repo.CommitObject(ref.Hash())
	if err != nil {
		return nil, fmt.Errorf("reading HEAD of the database repository: %w", err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, nil // bare: no sources to date
	}
	return &history{repo: repo, top: wt.Filesystem.Root(), head: head}, nil
}

// Times returns, for each given file, the committer time of the commit that
// introduced its current content. A file whose content differs from HEAD
// (edited or untracked) gets HEAD's time: the newest commit time known.
func (h *history) Times(files []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	want := map[string]string{} // repo-relative path -> blob hash of content
	rel := map[string]string{}  // repo-relative path -> file as given
	for _, f := range files {
		r, blob, err := h.blobOf(f)
		if err != nil {
			return nil, err
		}
		want[r], rel[r] = blob, f
	}
	found, err := h.introducingTimes(want)
	if err != nil {
		return nil, err
	}
	for r, f := range rel {
		t, ok := found[r]
		if !ok {
			t = h.head.Committer.When
		}
		out[f] = t.UTC()
	}
	return out, nil
}

func (h *history) blobOf(file string) (rel, blob string, err error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", "", err
	}
	if rel, err = filepath.Rel(h.top, abs); err != nil {
		return "", "", err
	}
	f, err := os.Open(abs)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", "", err
	}
	sum := sha1.New()
	fmt.Fprintf(sum, "blob %d\x00", fi.Size())
	if _, err := io.Copy(sum, f); err != nil {
		return "", "", err
	}
	return filepath.ToSlash(rel), hex.EncodeToString(sum.Sum(nil)), nil
}

// introducingTimes walks history from HEAD and finds, for each path, the
// commit holding the wanted blob at that path while none of its parents does.
// Paths whose wanted blob is not in HEAD are left out.
func (h *history) introducingTimes(want map[string]string) (map[string]time.Time, error) {
	found := map[string]time.Time{}
	pending := map[string]string{}
	headTree, err := h.head.Tree()
	if err != nil {
		return nil, err
	}
	for p, blob := range want {
		if blobAt(headTree, p) == blob {
			pending[p] = blob
		}
	}
	iter, err := h.repo.Log(&git.LogOptions{From: h.head.Hash, Order: git.LogOrderCommitterTime})
	if err != nil {
		return nil, err
	}
	defer iter.Close()
	for len(pending) > 0 {
		c, err := iter.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := h.visit(c, pending, found); err != nil {
			return nil, err
		}
	}
	return found, nil
}

func (h *history) visit(c *object.Commit, pending map[string]string, found map[string]time.Time) error {
	tree, err := c.Tree()
	if err != nil {
		return err
	}
	var parents []*object.Tree
	for _, ph := range c.ParentHashes {
		pc, err := h.repo.CommitObject(ph)
		if err != nil {
			return fmt.Errorf("database history is incomplete (shallow clone?): %w", err)
		}
		pt, err := pc.Tree()
		if err != nil {
			return err
		}
		parents = append(parents, pt)
	}
	for p, blob := range pending {
		if blobAt(tree, p) != blob || anyHas(parents, p, blob) {
			continue
		}
		found[p] = c.Committer.When
		delete(pending, p)
	}
	return nil
}

func anyHas(trees []*object.Tree, path, blob string) bool {
	for _, t := range trees {
		if blobAt(t, path) == blob {
			return true
		}
	}
	return false
}

func blobAt(t *object.Tree, path string) string {
	e, err := t.FindEntry(path)
	if err != nil {
		return ""
	}
	return e.Hash.String()
}
