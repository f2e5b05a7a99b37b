package gitgraph_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
)

// servedCPython builds the CPython-shaped repository as a bare repository
// that serves filtered clones, as a hosting service does.
func servedCPython(t *testing.T) (string, *gittest.Repo) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "cpython.git")
	r := gittest.CPython(t, src, true)
	gitCmd(t, src, "config", "uploadpack.allowFilter", "true")
	gitCmd(t, src, "config", "uploadpack.allowAnySHA1InWant", "true")
	return src, r
}

// missingObjects counts the objects a partial clone's history names but the
// clone lacks (git does not fetch them for this count).
func missingObjects(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	for _, l := range strings.Fields(gitCmd(t, dir, "rev-list", "--objects", "--missing=print", "--all")) {
		if strings.HasPrefix(l, "?") {
			n++
		}
	}
	return n
}

// TestPartialClones: --filter=tree:0 and --filter=blob:none clones load the
// same graph as a full clone, and say they are partial.
func TestPartialClones(t *testing.T) {
	src, _ := servedCPython(t)
	full := filepath.Join(t.TempDir(), "full.git")
	gitCmd(t, ".", "clone", "-q", "--mirror", "file://"+src, full)
	want := open(t, full, gitgraph.Options{})
	if want.Partial {
		t.Fatal("a full clone reads as partial")
	}
	for _, filter := range []string{"tree:0", "blob:none"} {
		dst := filepath.Join(t.TempDir(), filter+".git")
		gitCmd(t, ".", "clone", "-q", "--mirror", "--filter="+filter, "file://"+src, dst)
		if missingObjects(t, dst) == 0 {
			t.Fatalf("%s: the clone lacks nothing; the test would prove nothing", filter)
		}
		g := open(t, dst, gitgraph.Options{})
		if !g.Partial {
			t.Errorf("%s: not seen as partial", filter)
		}
		sameGraph(t, want, g)
	}
}

// TestCompletePromisorPack: a clone marked partial (promisor pack and
// remote) that holds every object loads like any other.
func TestCompletePromisorPack(t *testing.T) {
	dir := t.TempDir()
	gittest.CPython(t, dir, true)
	want := open(t, dir, gitgraph.Options{})
	gitCmd(t, dir, "repack", "-q", "-a", "-d")
	packs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("packs: %v", packs)
	}
	if err := os.WriteFile(strings.TrimSuffix(packs[0], ".pack")+".promisor", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	gitCmd(t, dir, "config", "core.repositoryformatversion", "1")
	gitCmd(t, dir, "config", "extensions.partialClone", "origin")
	gitCmd(t, dir, "config", "remote.origin.url", "https://example.org/cpython")
	gitCmd(t, dir, "config", "remote.origin.promisor", "true")
	g := open(t, dir, gitgraph.Options{})
	if !g.Partial {
		t.Error("not seen as partial")
	}
	sameGraph(t, want, g)
}

// TestPartialCloneMissingCommits: a partial clone that truly lacks commits
// is refused, naming the commit and the ref or child that needs it.
func TestPartialCloneMissingCommits(t *testing.T) {
	src, r := servedCPython(t)
	t.Run("ref tip", func(t *testing.T) {
		dst := filepath.Join(t.TempDir(), "one-branch.git")
		gitCmd(t, ".", "clone", "-q", "--bare", "--filter=tree:0", "--single-branch", "--branch", "3.10", "--no-tags", "file://"+src, dst)
		// a ref to a commit the clone never fetched, as a damaged or
		// hand-edited clone has
		if err := os.WriteFile(filepath.Join(dst, "refs", "heads", "main"), []byte(r.Hex("m8")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := gitgraph.Open(dst, gitgraph.Options{NoCache: true})
		var me *gitgraph.MissingObjectError
		if !errors.As(err, &me) || me.Hash != r.Hash("m8") || me.From != "refs/heads/main" || !me.Partial {
			t.Fatalf("got %v", err)
		}
		for _, s := range []string{r.Hex("m8"), "refs/heads/main", "partial clone"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error does not name %q: %v", s, err)
			}
		}
	})
	t.Run("parent", func(t *testing.T) {
		dir := t.TempDir()
		r := gittest.CPython(t, dir, true)
		gitCmd(t, dir, "config", "remote.origin.url", "https://example.org/cpython")
		gitCmd(t, dir, "config", "remote.origin.promisor", "true")
		h := r.Hex("b310_1")
		if err := os.Remove(filepath.Join(dir, "objects", h[:2], h[2:])); err != nil {
			t.Fatal(err)
		}
		_, err := gitgraph.Open(dir, gitgraph.Options{NoCache: true})
		var me *gitgraph.MissingObjectError
		if !errors.As(err, &me) || me.Hash.String() != h || me.Child.IsZero() || !me.Partial {
			t.Fatalf("got %v", err)
		}
		child := me.Child.String()
		if child != r.Hex("b310_2") && child != r.Hex("b310_rel") && child != r.Hex("m6") {
			t.Errorf("child %s is not a child of b310_1", child)
		}
		if !strings.Contains(err.Error(), "parent of "+child) {
			t.Errorf("error does not name the child: %v", err)
		}
	})
}

// TestPatchIDEmptyTree: git knows the empty tree without storing it, so a
// tree:0 clone never gets it; the patch of a commit whose parent has it is
// still read (the storer serves it), with the full clone's identity.
func TestPatchIDEmptyTree(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.git")
	r := gittest.New(t, src, true)
	r.CommitFiles("empty", "Initial, empty", map[string]string{})
	r.CommitFiles("add", "gh-1: Add a file (#2)", map[string]string{"a.py": "x\n", "empty.txt": ""}, "empty")
	r.Branch("main", "add")
	r.Head("main")
	gitCmd(t, src, "config", "uploadpack.allowFilter", "true")
	gitCmd(t, src, "config", "uploadpack.allowAnySHA1InWant", "true")
	dst := filepath.Join(t.TempDir(), "tree0.git")
	gitCmd(t, ".", "clone", "-q", "--mirror", "--filter=tree:0", "file://"+src, dst)
	ids := map[string]string{}
	for _, dir := range []string{src, dst} {
		g := open(t, dir, gitgraph.Options{})
		for _, label := range []string{"empty", "add"} {
			c, err := g.Lookup(r.Hex(label))
			if err != nil {
				t.Fatal(err)
			}
			id, err := g.PatchID(c)
			if err != nil {
				t.Fatalf("%s: patch id of %s: %v", dir, label, err)
			}
			if want, ok := ids[label]; ok && id != want {
				t.Errorf("%s: patch id of %s differs from the full clone's", dir, label)
			}
			ids[label] = id
		}
		g.Close()
	}
}

// TestPrefetchPatches: one call fetches every tree and blob the patches of
// the given commits need, so that PatchID then works with the promisor
// remote gone.
func TestPrefetchPatches(t *testing.T) {
	for _, filter := range []string{"tree:0", "blob:none"} {
		src := filepath.Join(t.TempDir(), "src.git")
		r := gittest.Backports(t, src, true)
		gitCmd(t, src, "config", "uploadpack.allowFilter", "true")
		gitCmd(t, src, "config", "uploadpack.allowAnySHA1InWant", "true")
		full := open(t, src, gitgraph.Options{})
		dst := filepath.Join(t.TempDir(), "clone.git")
		gitCmd(t, ".", "clone", "-q", "--mirror", "--filter="+filter, "file://"+src, dst)
		g := open(t, dst, gitgraph.Options{})
		var commits []uint32
		for _, label := range []string{"c1", "c2", "b2", "d2"} {
			c, _ := g.Lookup(r.Hex(label))
			commits = append(commits, c)
		}
		if err := g.PrefetchPatches(commits); err != nil {
			t.Fatalf("%s: %v", filter, err)
		}
		gitCmd(t, dst, "remote", "set-url", "origin", "file://"+filepath.Join(t.TempDir(), "gone.git"))
		for _, c := range commits {
			id, err := g.PatchID(c)
			want, _ := full.PatchID(c)
			if err != nil || id != want {
				t.Errorf("%s: patch id of %s after prefetch: %v", filter, g.Hash(c), err)
			}
		}
		g.Close()
		full.Close()
	}
}
