package gitgraph_test

import (
	"path/filepath"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
)

// TestAlternates: a clone that borrows objects from another repository
// (git clone --shared writes objects/info/alternates) loads in full.
func TestAlternates(t *testing.T) {
	src := t.TempDir()
	gittest.CPython(t, src, true)
	dst := filepath.Join(t.TempDir(), "shared")
	gitCmd(t, src, "clone", "-q", "--bare", "--shared", src, dst)
	g, err := gitgraph.Open(dst, gitgraph.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if tags, _ := g.Tags(tagRE); len(tags) != 13 {
		t.Errorf("%d tags", len(tags))
	}
	if _, err := g.Messages(gitgraph.Options{NoCache: true}); err != nil {
		t.Fatal(err)
	}
}
