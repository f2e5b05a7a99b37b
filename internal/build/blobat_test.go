package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// looseObject is the path of a loose object of the repository at root.
func looseObject(root string, h plumbing.Hash) string {
	s := h.String()
	return filepath.Join(root, ".git", "objects", s[:2], s[2:])
}

// headTree commits what is under advisories and returns the commit's tree.
func headTree(t *testing.T, root string, repo *git.Repository, msg string, when time.Time) *object.Tree {
	t.Helper()
	commitAll(t, repo, msg, when)
	ref, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	c, err := repo.CommitObject(ref.Hash())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := c.Tree()
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestBlobAt: a file's blob, nothing for a missing name or a parent that
// is a file, and an error, not nothing, when a tree on the way is missing.
func TestBlobAt(t *testing.T) {
	root := t.TempDir()
	repo, err := git.PlainInit(root, false)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "advisories", "python.lock"), []byte("lock\n"))
	writeFile(t, filepath.Join(root, "advisories", "products.yaml"), []byte("x: 1\n"))
	tree := headTree(t, root, repo, "one", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	sub, err := tree.FindEntry("advisories")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want bool // a hash
	}{
		{"advisories/python.lock", true},
		{"advisories", true}, // the tree's own hash, as before
		{"advisories/pip.lock", false},
		{"missing/python.lock", false},
		{"advisories/products.yaml/x", false}, // a parent that is a file
	} {
		got, err := blobAt(tree, tc.path)
		if err != nil || (got != "") != tc.want {
			t.Errorf("blobAt(%q) = %q, %v; want a hash: %v", tc.path, got, err, tc.want)
		}
	}
	if err := os.Remove(looseObject(root, sub.Hash)); err != nil {
		t.Fatal(err)
	}
	fresh, err := git.PlainOpen(root)
	if err != nil {
		t.Fatal(err)
	}
	tree, err = fresh.TreeObject(tree.Hash)
	if err != nil {
		t.Fatal(err)
	}
	got, err := blobAt(tree, "advisories/python.lock")
	if err == nil || !strings.Contains(err.Error(), "damaged or partial") {
		t.Fatalf("with the advisories tree missing, blobAt = %q, %v; want an error saying the repository is damaged or partial", got, err)
	}
}

// TestHistoryRefusesMissingTree: when a commit's tree below HEAD cannot be
// read, the build fails and says so; it does not date every record at the
// commit above the damage (what reading the missing tree as "no files"
// would give).
func TestHistoryRefusesMissingTree(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	repo, err := git.PlainInit(root, false)
	if err != nil {
		t.Fatal(err)
	}
	first := headTree(t, root, repo, "initial", time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC))
	src := filepath.Join(root, "advisories/python/PSF-2007-1.yaml")
	writeFile(t, src, append(mustRead(t, src), []byte("notes: reviewed again\n")...))
	commitAll(t, repo, "edit PSF-2007-1", time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC))
	sub, err := first.FindEntry("advisories")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(looseObject(root, sub.Hash)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Records(root, now); err == nil {
		t.Fatal("the build dated records across a missing tree without an error")
	}
}
