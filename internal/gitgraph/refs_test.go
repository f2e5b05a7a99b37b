package gitgraph

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
)

// listRefs is the ref listing through go-git that readRefs replaced, kept
// as its reference: the branch, tag and remote-tracking refs, sorted by
// name.
// A detached HEAD counts as a ref too.
func listRefs(repo *git.Repository) ([]rawRef, error) {
	iter, err := repo.References()
	if err != nil {
		return nil, err
	}
	var refs []rawRef
	err = iter.ForEach(func(r *plumbing.Reference) error {
		if r.Type() != plumbing.HashReference {
			return nil
		}
		name := r.Name().String()
		switch {
		case strings.HasPrefix(name, "refs/replace/"):
			return fmt.Errorf("%w: replace ref %s changes history; delete it", ErrUnsupported, name)
		case strings.HasPrefix(name, "refs/heads/"), strings.HasPrefix(name, "refs/tags/"),
			strings.HasPrefix(name, "refs/remotes/"), name == "HEAD":
			refs = append(refs, rawRef{Name: name, Hash: r.Hash()})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Name < refs[j].Name })
	return refs, nil
}

func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// goGitRefs lists the refs of the git directory gitDir through go-git.
func goGitRefs(gitDir string) ([]rawRef, error) {
	repo, err := openRepo(gitDir)
	if err != nil {
		return nil, err
	}
	defer repo.Close()
	return listRefs(repo.Repository)
}

// TestReadRefsMatchesGoGit: readRefs lists what go-git lists (the refs a
// graph is made of and its cache key), or fails where go-git fails, on
// loose refs, packed refs, loose refs hiding packed ones, symbolic refs,
// a detached HEAD, remote-tracking refs, a linked work tree, and broken
// or history-changing refs.
func TestReadRefsMatchesGoGit(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "repo")
	r := gittest.CPython(t, dir, false)
	gitDir := filepath.Join(dir, ".git")
	same := func(label, gitDir string) {
		t.Helper()
		got, gotErr := readRefs(gitDir)
		want, wantErr := goGitRefs(gitDir)
		if (gotErr != nil) != (wantErr != nil) || !slices.Equal(got, want) {
			t.Fatalf("%s: readRefs = %v, %v\ngo-git gives %v, %v", label, got, gotErr, want, wantErr)
		}
		if gotErr == nil && len(got) < 2 {
			t.Fatalf("%s: only %d refs", label, len(got))
		}
	}
	same("loose refs", gitDir)
	runGit(t, dir, "pack-refs", "--all")
	same("packed refs", gitDir)
	runGit(t, dir, "update-ref", "refs/heads/3.11", r.Hex("m2")) // loose again, hiding the packed one
	runGit(t, dir, "update-ref", "refs/remotes/origin/main", r.Hex("m3"))
	runGit(t, dir, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
	runGit(t, dir, "update-ref", "refs/notes/commits", r.Hex("m3"))
	same("loose over packed, symbolic and other refs", gitDir)
	runGit(t, dir, "checkout", "-q", "--detach", r.Hex("m2"))
	same("detached HEAD", gitDir)
	wt := filepath.Join(root, "wt")
	runGit(t, dir, "worktree", "add", "-q", "--detach", wt, r.Hex("m3"))
	wtGitDir := runGit(t, wt, "rev-parse", "--absolute-git-dir")
	same("linked work tree", wtGitDir)
	// refused alike: an empty loose ref, a malformed packed-refs line, a
	// replace ref
	empty := filepath.Join(gitDir, "refs", "heads", "empty")
	os.WriteFile(empty, nil, 0o644)
	same("empty ref file", gitDir)
	os.Remove(empty)
	packed := filepath.Join(gitDir, "packed-refs")
	data, _ := os.ReadFile(packed)
	os.WriteFile(packed, append(slices.Clone(data), "0123 refs/tags/a b\n"...), 0o644)
	same("malformed packed-refs", gitDir)
	os.WriteFile(packed, data, 0o644)
	runGit(t, dir, "replace", r.Hex("m2"), r.Hex("m3"))
	same("replace ref", gitDir)
}

// BenchmarkReadRefs compares readRefs with the go-git listing it replaced
// on a repository with 2,000 packed tags.
func BenchmarkReadRefs(b *testing.B) {
	dir := b.TempDir()
	r := gittest.CPython(b, dir, true)
	var lines []string
	for k := range 2000 {
		lines = append(lines, fmt.Sprintf("%s refs/tags/v9.%d.%d", r.Hex("m2"), k/100, k%100))
	}
	sort.Strings(lines)
	os.WriteFile(filepath.Join(dir, "packed-refs"), []byte("# pack-refs with: peeled fully-peeled sorted \n"+strings.Join(lines, "\n")+"\n"), 0o644)
	b.Run("readRefs", func(b *testing.B) {
		for b.Loop() {
			if _, err := readRefs(dir); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-git", func(b *testing.B) {
		for b.Loop() {
			if _, err := goGitRefs(dir); err != nil {
				b.Fatal(err)
			}
		}
	})
}
