// Package publish pushes a build output to the public advisory repository:
// one commit replacing the published tree, after guards that refuse to lose
// a record, rewrite a `published` time, move `modified` back, duplicate an
// ID or alias, or change a large share of the database unasked. A rejected
// (non-fast-forward) push fetches, checks and commits again on top of the
// new head, a bounded number of times; it never forces.
package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/psf/advisory-builder/internal/bundle"
)

// Publish pushes o.Dir to o.Remote's branch. An unchanged tree pushes
// nothing (Result.Commit is ""). A *RefusedError is a guard refusal, a
// *UsageError a bad option; any other error is an I/O or remote failure.
// On every error the remote is left as it was. No error or log line holds
// o.Token.
func Publish(ctx context.Context, o Options) (*Result, error) {
	o.defaults()
	tok := secret(o.Token)
	log := newScrubWriter(tok, o.Log)
	o.Log = log
	res, err := run(ctx, &o)
	if cerr := log.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return res, tok.clean(err)
}

func run(ctx context.Context, o *Options) (*Result, error) {
	remote, err := checkRemote(o.Remote)
	if err != nil {
		return nil, err
	}
	if err := plumbing.NewBranchReferenceName(o.Branch).Validate(); err != nil || strings.ContainsAny(o.Branch, ":*") {
		return nil, &UsageError{Msg: fmt.Sprintf("--branch %q is not a valid branch name", o.Branch)}
	}
	if o.MaxChangeShare < 0 || o.MaxChangeShare > 1 {
		return nil, &UsageError{Msg: fmt.Sprintf("--max-change-share %v: give a share between 0 and 1", o.MaxChangeShare)}
	}
	if err := o.step("verify"); err != nil {
		return nil, err
	}
	dirFS, closeDir, err := openDir(o.Dir)
	if err != nil {
		return nil, err
	}
	defer closeDir()
	work, err := os.MkdirTemp(o.WorkDir, "advisory-publish-")
	if err != nil {
		return nil, fmt.Errorf("creating the temporary clone: %w", err)
	}
	defer os.RemoveAll(work)
	s, err := openSession(work, remote, o.Branch, o.Token, o.CABundle)
	if err != nil {
		return nil, err
	}
	if err := o.step("fetch"); err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Log, "fetching %s from %s\n", o.Branch, s.url)
	head, err := s.fetch(ctx)
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	// Stored after the fetch, so files already published are not written
	// again as loose objects.
	if err := o.step("store"); err != nil {
		return nil, err
	}
	cur, err := storeDir(s.repo.Storer, dirFS, o.Log)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.Dir, err)
	}
	return loop(ctx, o, s, cur, head)
}

// openDir checks that dir is a complete build output (its SHA256SUMS lists
// exactly its files) and returns it as a file system confined to dir.
func openDir(dir string) (fs.FS, func(), error) {
	if dir == "" {
		return nil, nil, &UsageError{Msg: "--dir is required: the output directory of advisory build"}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("opening the output directory: %w", err)
	}
	fsys := root.FS()
	if err := bundle.VerifySums(root); err != nil {
		root.Close()
		return nil, nil, fmt.Errorf("%s is not a complete build output: %w (run advisory build again)", dir, err)
	}
	return fsys, func() { root.Close() }, nil
}

func (o *Options) step(name string) error {
	if o.hook == nil {
		return nil
	}
	if err := o.hook(name); err != nil {
		return fmt.Errorf("step %s: %w", name, err)
	}
	return nil
}

// loop fetches, guards, commits and pushes; when the push is rejected
// because the remote moved, it starts again from the new head.
func loop(ctx context.Context, o *Options, s *session, cur *snapshot, head plumbing.Hash) (*Result, error) {
	for attempt := 1; ; attempt++ {
		res, commit, err := prepare(o, s, head, cur)
		if err != nil || commit.IsZero() {
			return res, err
		}
		if err := o.step("push"); err != nil {
			return nil, err
		}
		perr := s.push(ctx, commit, o.Log)
		if perr == nil {
			res.Commit, res.Attempts = commit.String(), attempt
			fmt.Fprintf(o.Log, "pushed %s to %s %s\n", commit, s.url, o.Branch)
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, ctxErr(ctx, perr)
		}
		moved, err := s.fetch(ctx)
		if err != nil {
			return nil, ctxErr(ctx, errors.Join(perr, err))
		}
		if moved == head {
			return nil, fmt.Errorf("%w (the remote did not move: it refused the push; nothing was changed)", perr)
		}
		if attempt >= o.MaxAttempts {
			return nil, fmt.Errorf("%w: the remote moved under each of %d attempts; nothing was changed, try again later", perr, attempt)
		}
		fmt.Fprintf(o.Log, "push rejected: %s moved from %s to %s; checking again on top (attempt %d of %d)\n",
			o.Branch, short(head), short(moved), attempt+1, o.MaxAttempts)
		head = moved
	}
}

// prepare guards the output against the published head and returns the
// commit to push, or the zero hash when the tree is unchanged.
func prepare(o *Options, s *session, head plumbing.Hash, cur *snapshot) (*Result, plumbing.Hash, error) {
	old, err := readCommit(s.repo.Storer, head)
	if err != nil {
		return nil, plumbing.ZeroHash, err
	}
	if err := o.step("guard"); err != nil {
		return nil, plumbing.ZeroHash, err
	}
	ch, problems := guard(old, cur, o.MaxChangeShare, o.AllowMassChange)
	if len(problems) > 0 {
		return nil, plumbing.ZeroHash, &RefusedError{Problems: problems}
	}
	res := &Result{Added: ch.added, Updated: ch.updated, Withdrawn: ch.withdrawn, OtherFiles: ch.otherFiles, Versions: ch.versions}
	if !head.IsZero() {
		res.Previous = head.String()
	}
	fmt.Fprintf(o.Log, "published: %d records; output: %d records; %d added, %d updated, %d withdrawn, %d other files changed\n",
		len(old.records), len(cur.records), len(ch.added), len(ch.updated), len(ch.withdrawn), ch.otherFiles)
	if !head.IsZero() && old.tree == cur.tree {
		fmt.Fprintf(o.Log, "unchanged: %s %s already holds this tree; nothing to push\n", s.url, o.Branch)
		if !o.DryRun {
			res.HeadAdded, err = addedBy(s.repo.Storer, head, old)
		}
		return res, plumbing.ZeroHash, err
	}
	res.Changed = true
	if o.CheckAdded != nil && len(ch.added) > 0 {
		if err := o.CheckAdded(ch.added); err != nil {
			return nil, plumbing.ZeroHash, &checkAddedError{err}
		}
	}
	if o.DryRun {
		fmt.Fprintf(o.Log, "dry run: the guards pass; not committing or pushing to %s %s\n", s.url, o.Branch)
		return res, plumbing.ZeroHash, nil
	}
	if err := o.step("commit"); err != nil {
		return nil, plumbing.ZeroHash, err
	}
	commit, err := makeCommit(o, s, head, cur, ch)
	res.HeadAdded = ch.added
	return res, commit, err
}

func makeCommit(o *Options, s *session, parent plumbing.Hash, cur *snapshot, ch changes) (plumbing.Hash, error) {
	sig := object.Signature{Name: o.Name, Email: o.Email, When: commitTime(o.When, cur)}
	c := &object.Commit{Author: sig, Committer: sig, Message: commitMessage(ch), TreeHash: cur.tree}
	if !parent.IsZero() {
		c.ParentHashes = []plumbing.Hash{parent}
	}
	h, err := storeObject(s.repo.Storer, c)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("writing the commit: %w", err)
	}
	return h, nil
}

// commitTime is the given time, else the newest modified of the records,
// else the Unix epoch: never the wall clock.
func commitTime(when time.Time, cur *snapshot) time.Time {
	if !when.IsZero() {
		return when.UTC()
	}
	newest := time.Unix(0, 0).UTC()
	for _, r := range cur.records {
		if r.mod.After(newest) {
			newest = r.mod
		}
	}
	return newest.UTC()
}

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %v", errContext, err)
	}
	return err
}

func short(h plumbing.Hash) string {
	if h.IsZero() {
		return "(none)"
	}
	return h.String()[:12]
}
