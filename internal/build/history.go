package build

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/progress"
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
//   - along the chain, from the root to HEAD, landing times never go down:
//     a commit dated before the newest date below it (a clock running
//     behind, a back-dated commit pushed to main) and a commit dated after
//     the build's clock (it cannot be true yet) are not believed; their
//     changes land at the next commit after them that is believed (a later
//     commit vouches that they happened before it), or, for a back-dated
//     commit with none after it yet, at the newest believed date below it;
//   - HEAD must not be dated after the build's clock: nothing could vouch
//     for it, and the build stops.
//
// So a commit appended to main never moves an earlier change's landing time
// back, which a published `modified` already carries; and a correctly dated
// commit on top of a back-dated one gives its changes a time after every
// published one. Author dates are never read.
type history struct {
	repo *git.Repository
	top  string         // work tree root
	head *object.Commit // HEAD, checked not to be in the future
	now  time.Time      // the build's clock (zero: no clock)
	// headTime is when HEAD's changes landed (an uncommitted change takes
	// it); backdated are the unbelieved commits at the top of the main
	// line (set by Times).
	headTime  time.Time
	backdated []*object.Commit
	reader    blobReader // started on first use (blobs)
	// legacy reads and decodes every lock version through go-git, as the
	// build did before: the benchmarks' baseline.
	legacy bool
	// irregular is set when a tree was not as git writes them, so the
	// sources were dated path by path.
	irregular bool
	// noCache neither reads nor writes the lock-dates cache (a cold walk,
	// for the benchmarks).
	noCache bool
	// versionsRead counts the older lock versions read, fromPack those
	// of them read from the pack's deltas, treesRead the trees the
	// sources' walk compared below HEAD (for the tests).
	versionsRead, fromPack, treesRead int
	// packs reads lock versions from the pack's deltas (opened on first
	// use: packLocks); noPack reads them all through git cat-file (the
	// benchmarks' baseline).
	packs             *packLocks
	packTried, noPack bool
	// prog receives progress lines (nil: none).
	prog io.Writer
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
	return &history{repo: repo, top: wt.Filesystem.Root(), head: head, now: now}, nil
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

// mainLine is the first-parent chain from HEAD to the root (HEAD first)
// and the time each commit's changes landed (landedTimes).
type mainLine struct {
	commits []*object.Commit
	landed  []time.Time
	// backdated lists the commits at the top of the chain dated before a
	// commit below them, with no believed commit after them yet.
	backdated []*object.Commit
	index     map[plumbing.Hash]int // commit -> its index in commits
}

// mainLine reads the whole first-parent chain: a landing time depends on
// every date below it.
func (h *history) mainLine() (*mainLine, error) {
	ml := &mainLine{index: map[plumbing.Hash]int{}}
	var dates []time.Time
	for c := h.head; c != nil; {
		if _, loop := ml.index[c.Hash]; loop {
			return nil, fmt.Errorf("database history: commit %s is its own ancestor", c.Hash)
		}
		ml.index[c.Hash] = len(ml.commits)
		ml.commits = append(ml.commits, c)
		dates = append(dates, c.Committer.When)
		if len(c.ParentHashes) == 0 {
			break
		}
		p, err := h.repo.CommitObject(c.ParentHashes[0])
		if err != nil {
			return nil, fmt.Errorf("database history is incomplete (shallow clone?): %w", err)
		}
		c = p
	}
	var top int
	ml.landed, top = landedTimes(dates, h.now)
	ml.backdated = ml.commits[:top]
	return ml, nil
}

// landedTimes takes the committer dates of a first-parent chain (HEAD
// first) and returns when each commit's changes landed: the chain is read
// from the root up, a date is believed when it is not before the newest
// believed date below it and not after now (when now is set), and a commit
// whose date is not believed lands at the next believed commit above it,
// or, at the top of the chain, at the newest believed date below it. top
// is the number of such unbelieved commits at the top (HEAD first). The
// times never go down from the root to HEAD.
func landedTimes(dates []time.Time, now time.Time) (landed []time.Time, top int) {
	landed = make([]time.Time, len(dates))
	var newest time.Time
	var pending []int
	for i := len(dates) - 1; i >= 0; i-- {
		d := dates[i].UTC()
		if d.Before(newest) || (!now.IsZero() && d.After(now)) {
			pending = append(pending, i)
			continue
		}
		newest = d
		landed[i] = d
		for _, p := range pending {
			landed[p] = d
		}
		pending = pending[:0]
	}
	for _, p := range pending {
		landed[p] = newest
	}
	return landed, len(pending)
}

// Times returns, for each given file that HEAD holds, HEAD's blob of it
// and the time that content landed on the main line (landedTimesOf.source
// compares it with the content the build reads); for each given lock, the
// time each entry's current content landed (see entries); and for each
// product of the configuration file, the time the fields of it that reach
// its records landed (see products). A file whose content differs from
// HEAD's (edited or untracked), or an entry or product that differs from
// HEAD's, gets HEAD's time: the newest time known. One walk serves the
// locks and the configuration; the sources' compares trees (sourceTimes).
// The sources are not read here: the stream reads each once, and hashes
// what it read.
func (h *history) Times(sources []string, locks []lockFile, cfgFile string, cfg product.Config) (*landedTimesOf, error) {
	return h.timesAwaiting(sources, func() ([]lockFile, bool) { return locks, true }, cfgFile, cfg)
}

// timesAwaiting is Times with the locks asked for once the sources are
// dated (the build reads the locks meanwhile); when locks reports false
// (they could not be read), it stops and returns nothing.
func (h *history) timesAwaiting(sources []string, locksRead func() ([]lockFile, bool), cfgFile string, cfg product.Config) (*landedTimesOf, error) {
	tree, err := h.head.Tree()
	if err != nil {
		return nil, err
	}
	ml, err := h.mainLine()
	if err != nil {
		return nil, err
	}
	h.headTime, h.backdated = ml.landed[0], ml.backdated
	defer h.closeBlobs()
	stage(h.prog, "build: dating %s and the locks' entries from the database's history (%s on its main line)",
		plaintext.Count(len(sources), "source", "sources"), plaintext.Count(len(ml.commits), "commit", "commits"))
	rels, err := h.relPaths(sources)
	if err != nil {
		return nil, err
	}
	fs, err := h.sourceTimes(ml, tree, rels)
	if err != nil {
		return nil, err
	}
	locks, ok := locksRead()
	if !ok {
		return nil, nil
	}
	var trackers []tracker
	ents := make([]*entries, len(locks))
	for i, lf := range locks {
		if ents[i], err = h.entries(ml, tree, lf); err != nil {
			return nil, err
		}
		trackers = append(trackers, ents[i])
	}
	prods, err := h.products(tree, cfgFile, cfg)
	if err != nil {
		return nil, err
	}
	trackers = append(trackers, prods)
	read := progress.NewCounter(h.prog, "build: reading the locks' history", len(ml.commits))
	if err := ml.walkCounted(read, trackers...); err != nil {
		return nil, err
	}
	for _, e := range ents {
		e.saveCache()
	}
	out := &landedTimesOf{dated: true, head: h.headTime, sources: make(map[string]sourceLanding, len(sources)),
		entries: map[string]map[string]time.Time{}, products: prods.found}
	for i, f := range sources {
		if l, ok := fs[rels[i]]; ok {
			out.sources[f] = l
		}
	}
	for i, lf := range locks {
		out.entries[lf.Product] = ents[i].found
	}
	return out, nil
}

// sourceTimes dates HEAD's blob at each of the given paths (repo-relative)
// that HEAD holds as a file: by comparing trees, or path by path when a
// tree is not as git writes them (or in legacy mode, the way the build did
// before).
func (h *history) sourceTimes(ml *mainLine, head *object.Tree, rels []string) (map[string]sourceLanding, error) {
	if !h.legacy {
		tf, err := h.newTreeFiles(ml, head, rels)
		if err == nil {
			err = ml.walk(tf)
		}
		if err == nil {
			tf.saveCache()
			return tf.found, nil
		}
		if !errors.Is(err, errIrregularTree) {
			return nil, err
		}
		h.irregular = true
	}
	lf := &legacyFiles{pending: map[string]string{}, found: map[string]time.Time{}}
	for _, r := range rels {
		blob, err := blobAt(head, r)
		if err != nil {
			return nil, err
		}
		if blob != "" {
			lf.pending[r] = blob
		}
	}
	heads := maps.Clone(lf.pending)
	if err := ml.walk(lf); err != nil {
		return nil, err
	}
	out := make(map[string]sourceLanding, len(lf.found))
	for r, t := range lf.found {
		l := sourceLanding{at: t}
		if _, err := hex.Decode(l.blob[:], []byte(heads[r])); err == nil {
			out[r] = l
		}
	}
	return out, nil
}

// landedTimesOf is what Times found.
type landedTimesOf struct {
	// dated is set when the times come from a history (else every time
	// is zero); head is HEAD's time, which content not HEAD's takes.
	dated bool
	head  time.Time
	// sources are HEAD's blob of each source file as given that HEAD
	// holds, and when that content landed.
	sources  map[string]sourceLanding
	entries  map[string]map[string]time.Time // by product, then ID
	products map[string]time.Time            // by product
}

// sourceLanding is HEAD's blob of a source and when it landed.
type sourceLanding struct {
	blob [20]byte
	at   time.Time
}

// source is when the content data of the source file (as given to Times)
// landed: its time when data is HEAD's blob of it, else HEAD's time (the
// file is edited or untracked); zero when undated.
func (l *landedTimesOf) source(file string, data []byte) time.Time {
	if !l.dated {
		return time.Time{}
	}
	if s, ok := l.sources[file]; ok && gitBlob(data) == s.blob {
		return s.at
	}
	return l.head
}

// relPaths returns each file's path relative to the top of the work tree,
// with forward slashes (as git names it).
func (h *history) relPaths(files []string) ([]string, error) {
	cwd := ""
	rels := make([]string, len(files))
	for i, f := range files {
		abs := f
		if !filepath.IsAbs(f) {
			if cwd == "" {
				var err error
				if cwd, err = os.Getwd(); err != nil {
					return nil, err
				}
			}
			abs = filepath.Join(cwd, f)
		}
		rel, err := filepath.Rel(h.top, filepath.Clean(abs))
		if err != nil {
			return nil, err
		}
		rels[i] = filepath.ToSlash(rel)
	}
	return rels, nil
}

// blobOf returns a work tree file's path relative to the top of the work
// tree and the git blob of its content.
func (h *history) blobOf(file string) (rel, blob string, err error) {
	rel, f, size, err := h.openWorkFile(file)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	sum := newBlobHash(size)
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	if _, err := io.CopyBuffer(sum, struct{ io.Reader }{f}, *buf); err != nil {
		return "", "", err
	}
	return rel, hex.EncodeToString(sum.Sum(nil)), nil
}

// copyBufs are blobOf's buffers.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// openWorkFile opens a file of the work tree and returns its path relative
// to the top of the work tree and its size.
func (h *history) openWorkFile(file string) (rel string, f *os.File, size int64, err error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", nil, 0, err
	}
	if rel, err = filepath.Rel(h.top, abs); err != nil {
		return "", nil, 0, err
	}
	if f, err = os.Open(abs); err != nil {
		return "", nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return "", nil, 0, err
	}
	return filepath.ToSlash(rel), f, fi.Size(), nil
}

// newBlobHash starts the git blob hash of size bytes of content.
func newBlobHash(size int64) hash.Hash {
	sum := sha1.New()
	fmt.Fprintf(sum, "blob %d\x00", size)
	return sum
}

// gitBlob is the git blob hash of data.
func gitBlob(data []byte) [20]byte {
	sum := newBlobHash(int64(len(data)))
	sum.Write(data)
	return [20]byte(sum.Sum(nil))
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
func (ml *mainLine) walk(trackers ...tracker) error {
	return ml.walkCounted(nil, trackers...)
}

// walkCounted is walk counting in read (nil: not counted) each commit
// stepped to. When every tracker is done before the root, the commits left
// are counted at once: none of them needs reading.
func (ml *mainLine) walkCounted(read *progress.Counter, trackers ...tracker) error {
	i := 0
	for ; len(trackers) > 0 && i < len(ml.commits); i++ {
		var ptree *object.Tree
		if i+1 < len(ml.commits) {
			var err error
			if ptree, err = ml.commits[i+1].Tree(); err != nil {
				return err
			}
		}
		active := trackers[:0]
		for _, tr := range trackers {
			more, err := tr.step(ml.landed[i], ptree)
			if err != nil {
				return err
			}
			if more {
				active = append(active, tr)
			}
		}
		trackers = active
		read.Add(1)
	}
	read.Add(len(ml.commits) - i)
	return nil
}

// historyRule names the notes about the database's main line.
const historyRule = "history"

// backdatedNotes warns of each commit at the top of the main line whose
// date is not believed: its changes are dated by the newest believed commit
// below it, so a record it changes can keep its published `modified`, which
// the publish guard refuses; it says how to recover.
func (h *history) backdatedNotes() diag.List {
	var ds diag.List
	for _, c := range h.backdated {
		ds = append(ds, diag.Diagnostic{File: "advisories", Severity: diag.Warning, Rule: historyRule, Message: fmt.Sprintf(
			"commit %s on the database's main line has committer date %s, which is not believed (it is before a commit below it, or after the clock): its changes are dated %s, the newest date below it, "+
				"so a record it changes may keep its published modified and the publish guard refuse it; "+
				"any correctly dated commit on top of main dates them (git commit --allow-empty -m 'Date the changes of %.12s', then push it to main)",
			c.Hash, c.Committer.When.UTC().Format(time.RFC3339), h.headTime.Format(time.RFC3339), c.Hash)})
	}
	return ds
}
