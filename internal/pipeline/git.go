package pipeline

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/product"
)

// git runs the git command in dir and returns its trimmed standard output;
// the error carries git's standard error. The database repository is driven
// with the git command so that CI's checkout credentials apply to pushes.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// requireClean refuses a work tree with uncommitted changes: a run starts
// from the newest main and would lose them.
func requireClean(root, branch string) error {
	st, err := git(root, "status", "--porcelain", "--untracked-files=all")
	if err != nil {
		return err
	}
	if st != "" {
		first, _, _ := strings.Cut(st, "\n")
		return fmt.Errorf("%s has uncommitted changes (%s): the pipeline starts from the newest %s and would lose them; commit or stash them first", root, strings.TrimSpace(first), branch)
	}
	return nil
}

// syncMain fetches the database's branch and checks it out (detached), so
// every run starts from the newest main. It returns the commit.
func syncMain(root, remote, branch string) (string, error) {
	if err := requireClean(root, branch); err != nil {
		return "", err
	}
	if _, err := git(root, "fetch", "--quiet", remote, "+refs/heads/"+branch+":refs/remotes/"+remote+"/"+branch); err != nil {
		return "", err
	}
	head, err := git(root, "rev-parse", "--verify", "refs/remotes/"+remote+"/"+branch+"^{commit}")
	if err != nil {
		return "", err
	}
	if _, err := git(root, "checkout", "--quiet", "--detach", head); err != nil {
		return "", err
	}
	return head, nil
}

// remoteHead is the database branch's commit on the remote now.
func remoteHead(root, remote, branch string) (string, error) {
	out, err := git(root, "ls-remote", "--heads", remote, "refs/heads/"+branch)
	if err != nil {
		return "", err
	}
	sha, _, _ := strings.Cut(out, "\t")
	return sha, nil
}

// commitDatabase commits every change under advisories/ (renames and
// locks) and pushes it to the branch. It returns the commit, "" when
// nothing changed, and pushed=false when the push was rejected.
func commitDatabase(root, remote, branch, msg string, ident []string) (commit string, pushed bool, err error) {
	st, err := git(root, "status", "--porcelain", "--untracked-files=all", "--", "advisories")
	if err != nil || st == "" {
		return "", true, err
	}
	if _, err := git(root, "add", "-A", "--", "advisories"); err != nil {
		return "", false, err
	}
	args := append(append([]string{}, ident...), "commit", "--quiet", "-m", msg)
	if _, err := git(root, args...); err != nil {
		return "", false, err
	}
	commit, err = git(root, "rev-parse", "HEAD")
	if err != nil {
		return "", false, err
	}
	if _, err := git(root, "push", "--quiet", remote, "HEAD:refs/heads/"+branch); err != nil {
		return commit, false, err
	}
	return commit, true, nil
}

// changedFile is a source the pull request adds, modifies, renames or
// deletes.
type changedFile struct {
	Status string // A, M, R, D
	Path   string // repository-relative, slash-separated
}

// changedSources lists the advisory sources that differ between base and
// HEAD (the pull request's changes, base...HEAD).
func changedSources(root, base string) ([]changedFile, error) {
	out, err := git(root, "diff", "--name-status", "--no-renames", "--relative", base+"...HEAD", "--", "advisories")
	if err != nil {
		return nil, err
	}
	var files []changedFile
	for line := range strings.SplitSeq(out, "\n") {
		st, p, ok := strings.Cut(line, "\t")
		if !ok || !strings.HasSuffix(p, ".yaml") || strings.Count(p, "/") != 2 || strings.HasSuffix(p, "/products.yaml") {
			continue
		}
		files = append(files, changedFile{Status: st[:1], Path: p})
	}
	return files, nil
}

// productChanges lists the products whose record fields differ between the
// products configuration at the merge base of base and HEAD and at HEAD
// (added and removed products included). A configuration that does not
// parse on either side changes nothing here: the build reports it.
func productChanges(root, base string) ([]string, error) {
	mb, err := git(root, "merge-base", base, "HEAD")
	if err != nil {
		return nil, err
	}
	const file = "./advisories/" + advisory.ProductsFile
	before, _ := git(root, "show", mb+":"+file)
	after, _ := git(root, "show", "HEAD:"+file)
	if before == after {
		return nil, nil
	}
	old, err1 := product.Parse(file, []byte(before))
	cur, err2 := product.Parse(file, []byte(after))
	if err1 != nil || err2 != nil {
		return nil, nil
	}
	var names []string
	for _, n := range append(old.Names(), cur.Names()...) {
		if slices.Contains(names, n) {
			continue
		}
		if old[n] == nil || cur[n] == nil || old[n].RecordFields() != cur[n].RecordFields() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, nil
}
