package bundletest

import (
	"bufio"
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
// work tree and HEAD are the database WriteDatabase writes (but for the
// locks' `changed` dates), reached through h.Commits commits of which
// h.LockVersions change the locks; each of the others brings a share of
// the advisories' titles to their final text (the first commit holds
// drafts). The commits are made by one `git fast-import`; it needs git.
func WriteHistory(out string, n int, productsYAML []byte, h History) error {
	if h.Commits < 1 || h.LockVersions < 1 || h.LockVersions > h.Commits {
		return fmt.Errorf("history: want 1 <= lock versions (%d) <= commits (%d)", h.LockVersions, h.Commits)
	}
	if err := WriteDatabase(out, n, productsYAML); err != nil {
		return err
	}
	if err := git(out, "init", "-q", "-b", "main"); err != nil {
		return err
	}
	imp, err := startImport(out)
	if err != nil {
		return err
	}
	edits := h.Commits - h.LockVersions // commits that edit advisories
	k := -1                             // the edit the advisories are at (-1: none yet)
	var lastLocks map[string][]byte
	for c := range h.Commits {
		v := c * h.LockVersions / h.Commits // lock commits spread evenly, the first one first
		lockCommit := c == 0 || v != (c-1)*h.LockVersions/h.Commits
		files := map[string][]byte{}
		if c == 0 {
			files["advisories/products.yaml"] = productsYAML
		}
		if lockCommit {
			if lastLocks, err = locksAt(n, v, h.LockVersions); err != nil {
				return err
			}
			for name, data := range lastLocks {
				files[name] = data
			}
		} else {
			k++
		}
		if c == 0 || !lockCommit {
			if err := titlesAt(files, n, k, edits); err != nil {
				return err
			}
		}
		imp.commit(h.Start.Add(time.Duration(c)*time.Hour), fmt.Sprintf("commit %d (lock version %d)", c+1, v+1), files)
	}
	if err := imp.finish(); err != nil {
		return err
	}
	for name, data := range lastLocks { // the work tree holds HEAD's locks
		if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(name)), data, 0o644); err != nil {
			return err
		}
	}
	return git(out, "reset", "-q")
}

// locksAt is the locks, by repository path, as lock version v of versions
// has them: entry i reaches its final content at version i % versions,
// and carries that version's `changed` date.
func locksAt(n, v, versions int) (map[string][]byte, error) {
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
	out := map[string][]byte{}
	for name, l := range locks {
		data, err := l.Marshal()
		if err != nil {
			return nil, err
		}
		out[filepath.ToSlash(lock.Path("", name))] = data
	}
	return out, nil
}

// titlesAt adds to files the advisories as edit k of edits has them: the
// title of advisory i reaches its final text at edit i % edits, before it
// starts with "Draft: " (with no edits, every title is final). At k = -1
// (the first commit) every advisory, after that only those edit k changes.
func titlesAt(files map[string][]byte, n, k, edits int) error {
	for i := range n {
		due := 0
		if edits > 0 {
			due = i % edits
		}
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
		files["advisories/"+prod+"/"+a.ID+".yaml"] = text
	}
	return nil
}

// importer feeds commits to one `git fast-import` on branch main.
type importer struct {
	cmd *exec.Cmd
	w   *bufio.Writer
	in  interface{ Close() error }
}

func startImport(dir string) (*importer, error) {
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Env = gitEnv()
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &importer{cmd: cmd, w: bufio.NewWriterSize(in, 1<<20), in: in}, nil
}

// commit writes one commit on main changing files (sorted, for a
// deterministic stream); a write error shows at finish.
func (im *importer) commit(when time.Time, msg string, files map[string][]byte) {
	fmt.Fprintf(im.w, "commit refs/heads/main\ncommitter gendb <gendb@example.org> %d +0000\ndata %d\n%s\n", when.Unix(), len(msg), msg)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(im.w, "M 100644 inline %s\ndata %d\n", name, len(files[name]))
		im.w.Write(files[name])
		im.w.WriteByte('\n')
	}
	im.w.WriteByte('\n')
}

func (im *importer) finish() error {
	ferr := im.w.Flush()
	im.in.Close()
	if err := im.cmd.Wait(); err != nil {
		return fmt.Errorf("git fast-import: %v: %s", err, im.cmd.Stderr)
	}
	return ferr
}

// git runs git in dir with a fixed identity and no user configuration.
func git(dir string, args ...string) error {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = gitEnv()
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, msg)
	}
	return nil
}

func gitEnv() []string {
	return append(os.Environ(), "GIT_AUTHOR_NAME=gendb", "GIT_AUTHOR_EMAIL=gendb@example.org",
		"GIT_COMMITTER_NAME=gendb", "GIT_COMMITTER_EMAIL=gendb@example.org",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
}
