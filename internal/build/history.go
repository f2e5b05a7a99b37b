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
// on the main line. A file whose content differs from HEAD (edited or
// untracked) gets HEAD's time: the newest time known.
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
	found, err := h.landingTimes(want)
	if err != nil {
		return nil, err
	}
	for r, f := range rel {
		t, ok := found[r]
		if !ok {
			t = h.head.Committer.When.UTC()
		}
		out[f] = t
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

// landingTimes walks the first-parent chain from HEAD and finds, for each
// path, the oldest commit of the unbroken run (from HEAD back) holding the
// wanted blob at that path: the commit that landed the current content.
// Paths whose wanted blob is not in HEAD are left out.
func (h *history) landingTimes(want map[string]string) (map[string]time.Time, error) {
	found := map[string]time.Time{}
	pending := map[string]string{}
	tree, err := h.head.Tree()
	if err != nil {
		return nil, err
	}
	for p, blob := range want {
		if blobAt(tree, p) == blob {
			pending[p] = blob
		}
	}
	ch := h.chain()
	for len(pending) > 0 {
		t := ch.trusted()
		parent, err := ch.parent()
		if err != nil {
			return nil, err
		}
		var ptree *object.Tree
		if parent != nil {
			if ptree, err = parent.Tree(); err != nil {
				return nil, err
			}
		}
		for p, blob := range pending {
			if ptree == nil || blobAt(ptree, p) != blob {
				found[p] = t
				delete(pending, p)
			}
		}
		ch.c = parent
	}
	return found, nil
}

func blobAt(t *object.Tree, path string) string {
	e, err := t.FindEntry(path)
	if err != nil {
		return ""
	}
	return e.Hash.String()
}
