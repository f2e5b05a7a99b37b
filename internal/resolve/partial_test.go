package resolve

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/version"
)

// backportEntry resolves an advisory naming only the main fix c2 of
// gittest.Backports, from the repository at dir, with patch identities.
func backportEntry(t *testing.T, dir string, r *gittest.Repo, prefetch bool) *lock.Entry {
	t.Helper()
	p := &product.Product{Name: "python", TagPattern: version.DefaultTagPattern,
		Branches: map[string]string{"main": "feature", "3.10": "security", "3.9": "security"}}
	db := assemble(t, dir, p).Index
	if !prefetch {
		db.PrefetchPatches = nil
	}
	a := &advisory.Advisory{ID: "PSF-2025-1", Introduced: "0", Branches: []advisory.Branch{{Branch: "main", Fixed: r.Hex("c2")}}}
	entries, _ := db.Entries([]*advisory.Advisory{a})
	return entries[a.ID]
}

func fixesOf(e *lock.Entry) string {
	var got []string
	for _, f := range e.Fixed {
		got = append(got, f.Branch+":"+f.Source)
	}
	return strings.Join(got, " ")
}

// TestPatchIDPartialClone: in a partial clone, the trees and blobs patch
// identities need are fetched on demand from the promisor remote, with the
// full clone's answer; with the remote gone, patch-id matching is skipped
// and the entry says so instead of calling the candidates different.
func TestPatchIDPartialClone(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.git")
	r := gittest.Backports(t, src, true)
	git(t, src, "config", "uploadpack.allowFilter", "true")
	git(t, src, "config", "uploadpack.allowAnySHA1InWant", "true")
	want := backportEntry(t, src, r, true)
	if fixesOf(want) != "main:authored 3.10:patch-id" {
		t.Fatalf("full clone: %s", fixesOf(want))
	}
	for _, tc := range []struct {
		filter   string
		prefetch bool
	}{{"tree:0", false}, {"blob:none", false}, {"tree:0", true}, {"blob:none", true}} {
		filter := tc.filter
		dst := filepath.Join(t.TempDir(), "clone.git")
		git(t, ".", "clone", "-q", "--mirror", "--filter="+filter, "file://"+src, dst)
		missing := git(t, dst, "rev-list", "--objects", "--missing=print", "--all")
		tree := strings.TrimSpace(git(t, src, "rev-parse", r.Hex("b2")+"^{tree}"))
		blob := strings.TrimSpace(git(t, src, "rev-parse", r.Hex("b2")+":a.py"))
		if !strings.Contains(missing, "?"+tree) && !strings.Contains(missing, "?"+blob) {
			t.Fatalf("%s: the clone has b2's tree and blob already; the test would prove nothing", filter)
		}
		got := backportEntry(t, dst, r, tc.prefetch)
		if fixesOf(got) != fixesOf(want) || strings.Join(got.Versions, " ") != strings.Join(want.Versions, " ") ||
			strings.Join(got.Warnings, "\n") != strings.Join(want.Warnings, "\n") {
			t.Errorf("%s: fixes %s, versions %v, warnings %q; the full clone gives %s, %v, %q",
				filter, fixesOf(got), got.Versions, got.Warnings, fixesOf(want), want.Versions, want.Warnings)
		}

		off := filepath.Join(t.TempDir(), "offline.git")
		git(t, ".", "clone", "-q", "--mirror", "--filter="+filter, "file://"+src, off)
		git(t, off, "remote", "set-url", "origin", "file://"+filepath.Join(t.TempDir(), "gone.git"))
		e := backportEntry(t, off, r, tc.prefetch)
		if fixesOf(e) != "main:authored" {
			t.Errorf("%s offline: fixes %s", filter, fixesOf(e))
		}
		skipped := ""
		for _, w := range e.Warnings {
			if strings.HasPrefix(w, "patch-id matching was skipped") {
				skipped = w
			}
			if strings.HasPrefix(w, "possible backport") {
				t.Errorf("%s offline: an unreadable patch reads as different: %q", filter, w)
			}
		}
		for _, s := range []string{r.Hex("b2")[:12] + " on 3.10", r.Hex("d2")[:12] + " on 3.9", "promisor remote"} {
			if !strings.Contains(skipped, s) {
				t.Errorf("%s offline: warning %q does not name %q (warnings %q)", filter, skipped, s, e.Warnings)
			}
		}
	}
}
