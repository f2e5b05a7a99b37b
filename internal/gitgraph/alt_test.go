package gitgraph_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
)

// TestAlternates: a clone that borrows objects from another repository
// (git clone --shared or --reference write objects/info/alternates) loads
// in full, as git reads it: absolute and relative entries, alternates of
// alternates, and the commit-graph of the repository it borrows from.
func TestAlternates(t *testing.T) {
	src := t.TempDir()
	gittest.CPython(t, src, true)
	gitCmd(t, src, "commit-graph", "write", "--reachable")
	tmp := t.TempDir()
	shared := filepath.Join(tmp, "shared")
	gitCmd(t, src, "clone", "-q", "--bare", "--shared", src, shared)
	second := filepath.Join(tmp, "second") // borrows from shared, which borrows from src
	gitCmd(t, src, "clone", "-q", "--bare", "--shared", shared, second)
	relative := filepath.Join(tmp, "relative")
	gitCmd(t, src, "clone", "-q", "--bare", "--shared", src, relative)
	rel, err := filepath.Rel(filepath.Join(relative, "objects"), filepath.Join(src, "objects"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(relative, "objects", "info", "alternates"), []byte("# borrowed\n\n"+rel+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{shared, second, relative} {
		g, err := gitgraph.Open(dir, gitgraph.Options{NoCache: true})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if !g.UsedCommitGraph {
			t.Errorf("%s: the commit-graph of the alternate was not used", dir)
		}
		if tags, _ := g.Tags(tagRE); len(tags) != 13 {
			t.Errorf("%s: %d tags", dir, len(tags))
		}
		if _, err := g.Messages(gitgraph.Options{NoCache: true}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAlternatesMissing: an alternate that is gone is refused at once,
// naming the file, its line and the repair.
func TestAlternatesMissing(t *testing.T) {
	src := t.TempDir()
	gittest.CPython(t, src, true)
	dst := filepath.Join(t.TempDir(), "shared")
	gitCmd(t, src, "clone", "-q", "--bare", "--shared", src, dst)
	alt := filepath.Join(dst, "objects", "info", "alternates")
	if err := os.WriteFile(alt, []byte("/nonexistent/objects\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := gitgraph.Open(dst, gitgraph.Options{NoCache: true})
	if err == nil || !strings.Contains(err.Error(), alt+":1:") || !strings.Contains(err.Error(), "git repack -a -d") {
		t.Fatalf("got %v", err)
	}
}
