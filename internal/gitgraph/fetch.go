package gitgraph

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
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

// fetchPatchObjects has git read the patch of commit i against its first
// parent, which makes git fetch the missing trees and blobs from the
// promisor remote (in one batch per kind), without prompting for
// credentials.
func (g *Graph) fetchPatchObjects(i uint32) error {
	args := []string{"-C", g.gitDir, "-c", "core.askPass=true", "diff-tree", "-r", "-p", "--no-ext-diff", "--no-textconv", "--no-renames", "--no-color"}
	if ps := g.Parents(i); len(ps) > 0 {
		args = append(args, g.Hash(ps[0]).String(), g.Hash(i).String())
	} else {
		args = append(args, "--root", g.Hash(i).String())
	}
	cmd := exec.Command("git", args...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git diff-tree: %v: %s", err, lastLine(stderr.String()))
	}
	return nil
}

// lastLine is the last non-empty line of git's error output.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
