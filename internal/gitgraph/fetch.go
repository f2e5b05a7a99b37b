package gitgraph

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ObjectsUnavailableError is a patch that needs trees or blobs a partial
// clone lacks and could not fetch (no promisor remote reachable).
type ObjectsUnavailableError struct {
	Commit plumbing.Hash
	Err    error
}

func (e *ObjectsUnavailableError) Error() string {
	return fmt.Sprintf("the patch of %s needs trees or blobs this partial clone lacks, and git could not fetch them from its promisor remote: %v (make the remote reachable, or use a full clone)", e.Commit, e.Err)
}

func (e *ObjectsUnavailableError) Unwrap() error { return e.Err }

// gitQuiet are the options of every git command run on a partial clone:
// no credential prompt, and no automatic gc after a fetch (it would repack
// in the background and delete pack files go-git is reading).
var gitQuiet = []string{"-c", "core.askPass=true", "-c", "gc.auto=0", "-c", "maintenance.auto=false"}

func (g *Graph) git(stdin string, args ...string) error {
	cmd := exec.Command("git", append(append([]string{"-C", g.gitDir}, gitQuiet...), args...)...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git %s: %v: %s", args[0], err, lastLine(stderr.String()))
	}
	return nil
}

// fetchPatchObjects has git read the patch of commit i against its first
// parent, which makes git fetch the missing trees and blobs from the
// promisor remote (one fetch per missing tree, one for the blobs).
func (g *Graph) fetchPatchObjects(i uint32) error {
	args := []string{"diff-tree", "-r", "-p", "--no-ext-diff", "--no-textconv", "--no-renames", "--no-color"}
	if ps := g.Parents(i); len(ps) > 0 {
		args = append(args, g.Hash(ps[0]).String(), g.Hash(i).String())
	} else {
		args = append(args, "--root", g.Hash(i).String())
	}
	return g.git("", args...)
}

// PrefetchPatches makes present, in a partial clone, the trees and blobs
// that PatchID needs for commits: two fetches from the promisor remote (the
// trees, then the changed blobs) instead of several per commit. It does
// nothing in a full clone; an error only means PatchID will try again per
// commit.
func (g *Graph) PrefetchPatches(commits []uint32) error {
	if !g.Partial || len(commits) == 0 {
		return nil
	}
	remote := promisorRemote(g.gitDir)
	if remote == "" {
		return fmt.Errorf("no promisor remote configured")
	}
	trees, err := g.missingTrees(commits)
	if err == nil && len(trees) > 0 {
		err = g.fetchObjects(remote, trees)
	}
	if err != nil {
		return err
	}
	blobs, err := g.missingBlobs(commits)
	if err == nil && len(blobs) > 0 {
		err = g.fetchObjects(remote, blobs)
	}
	return err
}

// fetchObjects fetches objects by hash as git's own lazy fetch does, then
// reopens the repository so that go-git sees the new pack.
func (g *Graph) fetchObjects(remote string, hashes []string) error {
	err := g.git(strings.Join(hashes, "\n")+"\n", "-c", "fetch.negotiationAlgorithm=noop", "fetch", remote,
		"--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin")
	if cerr := g.Close(); err == nil {
		err = cerr
	}
	return err
}

// patchTrees returns the trees of commit i and of its first parent (nil for
// a root).
func (g *Graph) patchTrees(i uint32) (to, from plumbing.Hash, err error) {
	if err := g.openRepo(); err != nil {
		return to, from, err
	}
	c, err := g.repo.CommitObject(g.Hash(i))
	if err != nil {
		return to, from, err
	}
	if ps := g.Parents(i); len(ps) > 0 {
		p, err := g.repo.CommitObject(g.Hash(ps[0]))
		if err != nil {
			return to, from, err
		}
		from = p.TreeHash
	}
	return c.TreeHash, from, nil
}

func (g *Graph) missingTrees(commits []uint32) ([]string, error) {
	seen := map[plumbing.Hash]bool{}
	var out []string
	for _, c := range commits {
		to, from, err := g.patchTrees(c)
		if err != nil {
			return nil, err
		}
		for _, t := range []plumbing.Hash{to, from} {
			if t.IsZero() || seen[t] {
				continue
			}
			seen[t] = true
			if _, err := g.repo.Storer.EncodedObject(plumbing.TreeObject, t); errors.Is(err, plumbing.ErrObjectNotFound) {
				out = append(out, t.String())
			}
		}
	}
	return out, nil
}

func (g *Graph) missingBlobs(commits []uint32) ([]string, error) {
	seen := map[plumbing.Hash]bool{}
	var out []string
	for _, c := range commits {
		toHash, fromHash, err := g.patchTrees(c)
		if err != nil {
			return nil, err
		}
		to, err := g.repo.TreeObject(toHash)
		if err != nil {
			return nil, err
		}
		var from *object.Tree
		if !fromHash.IsZero() {
			if from, err = g.repo.TreeObject(fromHash); err != nil {
				return nil, err
			}
		}
		changes, err := object.DiffTree(from, to)
		if err != nil {
			return nil, err
		}
		for _, ch := range changes {
			for _, e := range []object.ChangeEntry{ch.From, ch.To} {
				h := e.TreeEntry.Hash
				if h.IsZero() || seen[h] || !e.TreeEntry.Mode.IsFile() {
					continue
				}
				seen[h] = true
				if _, err := g.repo.Storer.EncodedObject(plumbing.BlobObject, h); errors.Is(err, plumbing.ErrObjectNotFound) {
					out = append(out, h.String())
				}
			}
		}
	}
	return out, nil
}

// promisorRemote is the name of the repository's promisor remote
// (extensions.partialClone, else the first remote with promisor = true).
func promisorRemote(gitDir string) string {
	cfg, err := readConfig(filepath.Join(commonDir(gitDir), "config"))
	if err != nil {
		return ""
	}
	if r := cfg.Section("extensions").Option("partialclone"); r != "" {
		return r
	}
	for _, s := range cfg.Section("remote").Subsections {
		if strings.EqualFold(s.Option("promisor"), "true") {
			return s.Name
		}
	}
	return ""
}

// lastLine is the last non-empty line of git's error output.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
