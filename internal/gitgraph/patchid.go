package gitgraph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/go-git/go-git/v5/plumbing/format/diff"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// PatchID returns a patch identity of commit i against its first parent
// (or the empty tree for a root), in the spirit of `git patch-id`: the
// changed paths and their added and removed lines with whitespace removed,
// ignoring context and line numbers. Two commits that make the same change
// on different branches share it; a conflicted backport usually does not.
//
// It needs the commits' trees and blobs. A partial clone may lack them:
// then git fetches them from the promisor remote (see fetchPatchObjects)
// and the patch is read again; when that fails the error is an
// *ObjectsUnavailableError.
//
// Identities are cached by commit hash in the cache directory (see
// patchcache.go): a later run reads no objects for them.
func (g *Graph) PatchID(i uint32) (string, error) {
	h := g.Hash(i)
	if id, ok := g.cachedPatchID(h); ok {
		return id, nil
	}
	id, err := g.computePatchID(i)
	if err == nil {
		g.storePatchID(h, id)
	}
	return id, err
}

func (g *Graph) computePatchID(i uint32) (string, error) {
	id, err := g.patchID(i)
	if err == nil || !g.Partial {
		return id, err
	}
	if ferr := g.fetchPatchObjects(i); ferr != nil {
		return "", &ObjectsUnavailableError{Commit: g.Hash(i), Err: ferr}
	}
	if err := g.Close(); err != nil { // reopen: the fetch added packs
		return "", err
	}
	return g.patchID(i)
}

// openRepo opens the repository for PatchID, once.
func (g *Graph) openRepo() error {
	if g.repo != nil {
		return nil
	}
	repo, err := openRepo(g.gitDir)
	if err != nil {
		return err
	}
	g.repo = repo
	return nil
}

func (g *Graph) patchID(i uint32) (string, error) {
	if err := g.openRepo(); err != nil {
		return "", err
	}
	c, err := g.repo.CommitObject(g.Hash(i))
	if err != nil {
		return "", &MissingObjectError{Hash: g.Hash(i), From: "patch-id", Partial: g.Partial, Err: err}
	}
	var parent *object.Commit
	if ps := g.Parents(i); len(ps) > 0 {
		if parent, err = g.repo.CommitObject(g.Hash(ps[0])); err != nil {
			return "", &MissingObjectError{Hash: g.Hash(ps[0]), From: "patch-id", Partial: g.Partial, Err: err}
		}
	}
	var patch *object.Patch
	if parent != nil {
		patch, err = parent.Patch(c)
	} else {
		var tree *object.Tree
		if tree, err = c.Tree(); err == nil {
			var changes object.Changes
			if changes, err = object.DiffTree(nil, tree); err == nil {
				patch, err = changes.Patch()
			}
		}
	}
	if err != nil {
		return "", fmt.Errorf("patch of %s: %w", g.Hash(i), err)
	}
	return patchIdentity(patch.FilePatches()), nil
}

func patchIdentity(fps []diff.FilePatch) string {
	var files []string
	for _, fp := range fps {
		var sb strings.Builder
		from, to := fp.Files()
		for _, f := range []diff.File{from, to} {
			if f != nil {
				sb.WriteString(f.Path())
			}
			sb.WriteByte('\x00')
		}
		for _, ch := range fp.Chunks() {
			var sign string
			switch ch.Type() {
			case diff.Add:
				sign = "+"
			case diff.Delete:
				sign = "-"
			default:
				continue
			}
			for _, line := range strings.SplitAfter(ch.Content(), "\n") {
				if line != "" {
					sb.WriteString(sign + stripSpace(line) + "\n")
				}
			}
		}
		files = append(files, sb.String())
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
