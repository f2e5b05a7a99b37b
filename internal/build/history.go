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

// history tells when the current content of each source file landed on the
// database's main line: the input behind the derived `modified` time.
//
// Commit dates are written by whoever makes the commit, and a contributor's
// commit reaches the main line whole (merge, squash or fast-forward), so
// dates are trusted only as far as the main line vouches for them:
//
//   - only the first-parent chain from HEAD counts: a change lands at the
//     first-parent commit that introduced it (the merge or squash commit the
//     maintainers or CI made), never at a commit of the merged branch;
//   - a first-parent commit's time is clamped to the times of the
//     first-parent commits after it (a change cannot land after what was
//     committed on top of it), so every time is at most HEAD's;
//   - HEAD's time must not be after the build's clock, which is checked but
//     never written: a future-dated HEAD stops the build.
//
// Author dates are never read.
type history struct {
	repo *git.Repository
	top  string         // work tree root
	head *object.Commit // HEAD, checked not to be in the future
}

// openHistory opens the git repository holding root, or returns nil when
// root is not in one (then no commit times are used).
func openHistory(root string, now time.Time) (*history, error) {
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
	if err := checkNotFuture(head, now); err != nil {
		return nil, err
	}
	return &history{repo: repo, top: wt.Filesystem.Root(), head: head}, nil
}

// checkNotFuture refuses a HEAD dated after the build's clock: nothing
// later could vouch for it, and a `modified` in the future would block
// every later update at the publish guard.
func checkNotFuture(head *object.Commit, now time.Time) error {
	if now.IsZero() || !head.Committer.When.After(now) {
		return nil
	}
	return fmt.Errorf("database HEAD commit %s has committer date %s, after the current time %s: "+
		"a future date cannot be trusted for `modified`; land the change with a merge commit made now "+
		"(git merge --no-ff) or recommit it with a correct date",
		head.Hash, head.Committer.When.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
}

// chain walks the first-parent chain from HEAD, one commit at a time, with
// each commit's trusted time: its committer time clamped to the times of
// the commits after it on the chain.
type chain struct {
	h     *history
	c     *object.Commit
	limit time.Time
}

func (h *history) chain() *chain {
	return &chain{h: h, c: h.head, limit: h.head.Committer.When}
}

// trusted is the current commit's trusted landing time.
func (ch *chain) trusted() time.Time {
	if ch.c.Committer.When.Before(ch.limit) {
		ch.limit = ch.c.Committer.When
	}
	return ch.limit.UTC()
}

// parent moves to the first parent; nil at the root.
func (ch *chain) parent() (*object.Commit, error) {
	if len(ch.c.ParentHashes) == 0 {
		return nil, nil
	}
	p, err := ch.h.repo.CommitObject(ch.c.ParentHashes[0])
	if err != nil {
		return nil, fmt.Errorf("database history is incomplete (shallow clone?): %w", err)
	}
	return p, nil
}

// Times returns, for each given file, the time its current content landed
// on the main line, and for each given lock, the time each entry's current
// content landed (see entries). A file whose content differs from HEAD
// (edited or untracked), or an entry that differs from HEAD's lock, gets
// HEAD's time: the newest time known. One walk serves both.
func (h *history) Times(sources []string, locks []lockFile) (map[string]time.Time, map[string]map[string]time.Time, error) {
	tree, err := h.head.Tree()
	if err != nil {
		return nil, nil, err
	}
	fs := &files{pending: map[string]string{}, found: map[string]time.Time{}}
	rel := map[string]string{} // repo-relative path -> file as given
	for _, f := range sources {
		r, blob, err := h.blobOf(f)
		if err != nil {
			return nil, nil, err
		}
		rel[r] = f
		if blobAt(tree, r) == blob {
			fs.pending[r] = blob
		}
	}
	trackers := []tracker{fs}
	ents := make([]*entries, len(locks))
	for i, lf := range locks {
		if ents[i], err = h.entries(tree, lf); err != nil {
			return nil, nil, err
		}
		trackers = append(trackers, ents[i])
	}
	if err := h.walk(trackers...); err != nil {
		return nil, nil, err
	}
	head := h.head.Committer.When.UTC()
	out := map[string]time.Time{}
	for r, f := range rel {
		t, ok := fs.found[r]
		if !ok {
			t = head
		}
		out[f] = t
	}
	byProduct := map[string]map[string]time.Time{}
	for i, lf := range locks {
		byProduct[lf.Product] = ents[i].found
	}
	return out, byProduct, nil
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

// tracker follows some content of HEAD back along the first-parent chain
// and records when it landed.
type tracker interface {
	// step is called for each first-parent commit from HEAD back, with
	// the commit's trusted time and its parent's tree (nil at the root:
	// then everything still pending landed at that commit). It reports
	// whether anything is still pending.
	step(t time.Time, parent *object.Tree) (bool, error)
}

// walk moves along the first-parent chain from HEAD, once for all the
// trackers, only as far back as one of them still needs.
func (h *history) walk(trackers ...tracker) error {
	ch := h.chain()
	for len(trackers) > 0 && ch.c != nil {
		t := ch.trusted()
		parent, err := ch.parent()
		if err != nil {
			return err
		}
		var ptree *object.Tree
		if parent != nil {
			if ptree, err = parent.Tree(); err != nil {
				return err
			}
		}
		active := trackers[:0]
		for _, tr := range trackers {
			more, err := tr.step(t, ptree)
			if err != nil {
				return err
			}
			if more {
				active = append(active, tr)
			}
		}
		trackers = active
		ch.c = parent
	}
	return nil
}

// files tracks source files: a path's content landed at the oldest commit
// of the unbroken run (from HEAD back) holding the wanted blob at it.
type files struct {
	pending map[string]string // path -> blob still held by the parent
	found   map[string]time.Time
}

func (fs *files) step(t time.Time, parent *object.Tree) (bool, error) {
	for p, blob := range fs.pending {
		if parent == nil || blobAt(parent, p) != blob {
			fs.found[p] = t
			delete(fs.pending, p)
		}
	}
	return len(fs.pending) > 0, nil
}

func blobAt(t *object.Tree, path string) string {
	e, err := t.FindEntry(path)
	if err != nil {
		return ""
	}
	return e.Hash.String()
}
