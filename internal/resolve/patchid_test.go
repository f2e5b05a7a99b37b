package resolve

import (
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/version"
)

// TestPatchIDDiscovery: backports without trailer or (GH-N) title, found by
// the issue reference and confirmed by patch identity; a conflicted one
// (another patch) is reported, not counted.
func TestPatchIDDiscovery(t *testing.T) {
	dir := t.TempDir()
	r := gittest.Backports(t, dir, true)
	p := &product.Product{Name: "python", TagPattern: version.DefaultTagPattern,
		Branches: map[string]string{"main": "feature", "3.10": "security", "3.9": "security"}}
	as := assemble(t, dir, p)
	g, db := as.Graph, as.Index
	a := &advisory.Advisory{ID: "PSF-2025-1", Introduced: "0", Branches: []advisory.Branch{{Branch: "main", Fixed: r.Hex("c2")}}}
	entries, _ := db.Entries([]*advisory.Advisory{a})
	e := entries[a.ID]
	var got []string
	for _, f := range e.Fixed {
		got = append(got, f.Branch+":"+f.Source+":"+f.Tag)
	}
	if strings.Join(got, " ") != "main:authored:v3.11.0a1 3.10:patch-id:v3.10.1" {
		t.Errorf("fixes: %v", got)
	}
	if strings.Join(e.Versions, " ") != "v3.9.0 v3.9.1 v3.10.0" {
		t.Errorf("versions: %v", e.Versions)
	}
	if len(e.Warnings) != 2 || !strings.Contains(e.Warnings[0], "possible backport "+r.Hex("d2")[:12]+" on 3.9") ||
		!strings.Contains(e.Warnings[1], "branch 3.9 (security) is still unfixed") {
		t.Errorf("warnings: %q", e.Warnings)
	}
	// Same change, different whitespace: the same identity.
	c2, _ := g.Lookup(r.Hex("c2"))
	b2, _ := g.Lookup(r.Hex("b2"))
	id1, err1 := g.PatchID(c2)
	id2, err2 := g.PatchID(b2)
	if err1 != nil || err2 != nil || id1 != id2 {
		t.Errorf("patch ids %s %s (%v %v)", id1, id2, err1, err2)
	}
}

func TestIssueRefs(t *testing.T) {
	tests := map[string]string{
		"[3.12] gh-123067: Fix quadratic parsing of cookies (GH-123075) (#123103)": "gh-123067 gh-123075",
		"bpo-41945: Fix the thing":     "bpo-41945",
		"Revert \"gh-1: x\"":           "",
		"ugh-12 and gh-x and gh-12abc": "",
		"GH-7":                         "gh-7",
		"gh-":                          "",
	}
	for title, want := range tests {
		if got := strings.Join(gitgraph.IssueRefs(title), " "); got != want {
			t.Errorf("gitgraph.IssueRefs(%q) = %q, want %q", title, got, want)
		}
	}
}

func FuzzIssueRefs(f *testing.F) {
	f.Add("[3.12] gh-123067: Fix (GH-123075) (#123103)")
	f.Add("bpo-1-gh-2")
	f.Fuzz(func(t *testing.T, title string) {
		for _, r := range gitgraph.IssueRefs(title) {
			if !strings.HasPrefix(r, "gh-") && !strings.HasPrefix(r, "bpo-") {
				t.Fatalf("ref %q", r)
			}
		}
	})
}
