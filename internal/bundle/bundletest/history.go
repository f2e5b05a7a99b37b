package bundletest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
)

// History shapes the git history WriteHistory gives a generated database.
type History struct {
	// Commits is the number of first-parent commits (at least 1).
	Commits int
	// LockVersions is how many of them change the locks (at least 1, at
	// most Commits): the first commit writes them, each later lock commit
	// brings 1/LockVersions of the entries to their final content (the
	// entries before it lack their last affected release) and dates them.
	LockVersions int
	// Start is the first commit's date; commits are an hour apart.
	Start time.Time
}

// WriteHistory writes a generated database of n advisories, like
// WriteDatabase, as a git repository whose history has the shape h: its
// HEAD is the database WriteDatabase writes (the locks only differ in the
// `changed` dates), reached through h.Commits commits of which
// h.LockVersions change the locks; the other commits each edit a share of
// the advisories' titles (the first commit holds older titles). It needs
// git.
func WriteHistory(out string, n int, productsYAML []byte, h History) error {
	if h.Commits < 1 || h.LockVersions < 1 || h.LockVersions > h.Commits {
		return fmt.Errorf("history: want 1 <= lock versions (%d) <= commits (%d)", h.LockVersions, h.Commits)
	}
	if err := WriteDatabase(out, n, productsYAML); err != nil {
		return err
	}
	g := gitRunner{dir: out, when: h.Start}
	if err := g.run("init", "-q", "-b", "main"); err != nil {
		return err
	}
	edits := h.Commits - h.LockVersions // commits that edit advisories
	k := -1                             // the edit the advisories are at (-1: none yet)
	for c := range h.Commits {
		v := c * h.LockVersions / h.Commits // lock commits spread evenly, the first one first
		lockCommit := c == 0 || v != (c-1)*h.LockVersions/h.Commits
		if lockCommit {
			if err := writeLocksAt(out, n, v, h.LockVersions); err != nil {
				return err
			}
		} else {
			k++
		}
		if edits > 0 && (c == 0 || !lockCommit) {
			if err := writeTitlesAt(out, n, k, edits); err != nil {
				return err
			}
		}
		if err := g.commit(fmt.Sprintf("commit %d (lock version %d)", c+1, v+1)); err != nil {
			return err
		}
	}
	return nil
}

// writeLocksAt writes the locks as lock version v of versions has them:
// entry i reaches its final content at version i % versions, and carries
// that version's `changed` date.
func writeLocksAt(out string, n, v, versions int) error {
	locks := map[string]*lock.Lock{
		"python": {Product: "python", Repo: "https://github.com/python/cpython", Advisories: map[string]*lock.Entry{}},
		"pip":    {Product: "pip", Repo: "https://github.com/pypa/pip", Advisories: map[string]*lock.Entry{}},
	}
	for i := range n {
		prod := productOf(i)
		a := generate(i, prod)
		e := entry(a, prod)
		due := i % versions
		if v < due {
			e.Versions = slices.Clone(e.Versions[:len(e.Versions)-1])
		}
		e.Changed = time.Date(2024, 6, 1+min(v, due), 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
		locks[prod].Advisories[a.ID] = e
	}
	for _, l := range locks {
		if err := lock.Write(out, l); err != nil {
			return err
		}
	}
	return nil
}

// writeTitlesAt writes the advisories as edit k of edits has them: the
// title of advisory i reaches its final text at edit i % edits, before it
// it starts with "Draft: ". At k = -1 (the first commit) it writes every
// advisory, after that only those edit k changes.
func writeTitlesAt(out string, n, k, edits int) error {
	for i := range n {
		due := i % edits
		if k >= 0 && due != k {
			continue
		}
		prod := productOf(i)
		a := generate(i, prod)
		if k < due {
			a.Title = "Draft: " + a.Title
		}
		text, err := advisory.Marshal(a)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "advisories", prod, a.ID+".yaml"), text, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// gitRunner runs git in the database with fixed identities and dates.
type gitRunner struct {
	dir  string
	when time.Time
}

func (g *gitRunner) run(args ...string) error {
	cmd := exec.Command("git", append([]string{"-C", g.dir}, args...)...)
	date := g.when.UTC().Format(time.RFC3339)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=gendb", "GIT_AUTHOR_EMAIL=gendb@example.org",
		"GIT_COMMITTER_NAME=gendb", "GIT_COMMITTER_EMAIL=gendb@example.org",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, msg)
	}
	return nil
}

func (g *gitRunner) commit(msg string) error {
	if err := g.run("add", "-A"); err != nil {
		return err
	}
	if err := g.run("commit", "-q", "--allow-empty", "-m", msg); err != nil {
		return err
	}
	g.when = g.when.Add(time.Hour)
	return nil
}
