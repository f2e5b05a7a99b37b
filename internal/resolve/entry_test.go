package resolve

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/version"
)

var testProduct = &product.Product{Name: "python", Repo: "https://github.com/python/cpython", TagPattern: version.DefaultTagPattern,
	Branches: map[string]string{"main": "feature", "3.11": "security", "3.10": "security", "3.9": "end-of-life", "3.8": "end-of-life"}}

func cpythonDB(t *testing.T) (*gittest.Repo, *Index) {
	t.Helper()
	dir := t.TempDir()
	r := gittest.CPython(t, dir, true)
	return r, assemble(t, dir, testProduct).Index
}

// TestBackportsAndBranches is the CPython-shaped case written out by hand:
// the main fix is authored; the 3.10 backport is found by its trailer, the
// conflicted 3.9 backport by its title, the reverted 3.11 backport is
// dropped with a warning, and 3.8 (deleted, end of life) stays unfixed.
func TestBackportsAndBranches(t *testing.T) {
	r, db := cpythonDB(t)
	a := &advisory.Advisory{ID: "PSF-2024-1", Path: "advisories/python/PSF-2024-1.yaml", Introduced: r.Hex("m2"),
		Branches: []advisory.Branch{{Branch: "main", Fixed: r.Hex("m7")}}}
	entries, diags := db.Entries([]*advisory.Advisory{a})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	tagTime := gittest.Epoch.Add(21 * time.Hour).Add(time.Minute) // v3.12.0a1: m8 is the 22nd commit, tagged a minute later
	want := &lock.Entry{
		InputDigest: lock.InputDigest(a),
		Fixed: []lock.Fix{
			{Commit: r.Hex("m7"), Branch: "main", Source: "authored", Tag: "v3.12.0a1"},
			{Commit: r.Hex("b310_2"), Branch: "3.10", Source: "trailer", Tag: "v3.10.2"},
			{Commit: r.Hex("b39_2"), Branch: "3.9", Source: "title", Tag: "v3.9.1"},
		},
		Versions: []string{"v3.8.0a1", "v3.8.0", "v3.8.1", "v3.9.0", "v3.10.0a1", "v3.10.0", "v3.10.1", "v3.11.0a1", "v3.11.0", "v3.11.1"},
		Branches: []lock.BranchResult{
			{Branch: "main", Status: "fixed", FixedIn: "v3.12.0a1", FixCommit: r.Hex("m7")},
			{Branch: "3.11", Status: "unfixed", FirstAffected: "v3.11.0a1", LastAffected: "v3.11.1"},
			{Branch: "3.10", Status: "fixed", FirstAffected: "v3.10.0a1", LastAffected: "v3.10.1", FixedIn: "v3.10.2", FixCommit: r.Hex("b310_2")},
			{Branch: "3.9", Status: "fixed", FirstAffected: "v3.9.0", LastAffected: "v3.9.0", FixedIn: "v3.9.1", FixCommit: r.Hex("b39_2")},
			{Branch: "3.8", Status: "unfixed", FirstAffected: "v3.8.0a1", LastAffected: "v3.8.1"},
		},
		Changed: tagTime.UTC().Format(time.RFC3339),
		Warnings: []string{
			"the backport " + r.Hex("b311_2")[:12] + " to 3.11 (found by trailer) was reverted by " + r.Hex("b311_3")[:12] + "; it is not counted as a fix",
			"branch 3.11 (security) is still unfixed: its newest release v3.11.1 is affected and no fix is known on the branch",
		},
	}
	assertEntry(t, entries["PSF-2024-1"], want)
}

func assertEntry(t *testing.T, got, want *lock.Entry) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	if string(g) != string(w) {
		t.Errorf("entry:\n%s\nwant:\n%s", g, w)
	}
}

// TestPlaceUnplacedFixes: imported records name fix commits without a
// branch; the resolver places them.
func TestPlaceUnplacedFixes(t *testing.T) {
	r, db := cpythonDB(t)
	cases := map[string]string{"m7": "main", "m2": "main", "b310_2": "3.10", "b39_2": "3.9", "b38_2": "3.8", "b310_rel": "3.10", "b311_3": "3.11", "b38_1": "3.8"}
	for label, want := range cases {
		c, _ := db.r.g.Lookup(r.Hex(label))
		if got := db.Place(c); got != want {
			t.Errorf("Place(%s) = %q, want %q", label, got, want)
		}
	}
	a := &advisory.Advisory{ID: "PSF-2024-2", Introduced: "0",
		Branches: []advisory.Branch{{Fixed: r.Hex("m7")}, {Fixed: r.Hex("b39_2")}}}
	entries, _ := db.Entries([]*advisory.Advisory{a})
	e := entries["PSF-2024-2"]
	var got []string
	for _, f := range e.Fixed {
		got = append(got, f.Branch+":"+f.Source)
	}
	if strings.Join(got, " ") != "main:authored 3.10:trailer 3.9:authored" {
		t.Errorf("fixes: %v", got)
	}
}

func TestMissingCommitDiagnostic(t *testing.T) {
	_, db := cpythonDB(t)
	a := &advisory.Advisory{ID: "PSF-2024-3", Path: "advisories/python/PSF-2024-3.yaml", Introduced: "0",
		Branches: []advisory.Branch{{Branch: "main", Fixed: strings.Repeat("1", 40)}},
		Pos:      advisory.Positions{"branches[0].fixed": {Line: 9, Col: 12}}}
	entries, diags := db.Entries([]*advisory.Advisory{a})
	if len(entries) != 0 || len(diags) != 1 {
		t.Fatalf("entries %v diags %v", entries, diags)
	}
	if s := diags[0].String(); !strings.HasPrefix(s, "advisories/python/PSF-2024-3.yaml:9:12: error: branches[0].fixed: commit 1111") {
		t.Errorf("diagnostic: %s", s)
	}
}

// TestDiscoverFromBackport: only the 3.10 backport is authored; its trailer
// names the main fix, and its "(GH-123075)" the main pull request, so the
// 3.9 backport is found by title.
func TestDiscoverFromBackport(t *testing.T) {
	r, db := cpythonDB(t)
	a := &advisory.Advisory{ID: "PSF-2024-4", Introduced: r.Hex("m2"),
		Branches: []advisory.Branch{{Branch: "3.10", Fixed: r.Hex("b310_2")}, {Branch: "3.9", Fixed: r.Hex("b311_1")}}}
	entries, _ := db.Entries([]*advisory.Advisory{a})
	e := entries[a.ID]
	var got []string
	for _, f := range e.Fixed {
		got = append(got, f.Branch+":"+f.Source)
	}
	if strings.Join(got, " ") != "main:trailer 3.10:authored 3.9:authored" {
		t.Errorf("fixes: %v", got)
	}
	if len(e.Warnings) == 0 || !strings.Contains(e.Warnings[0], "is on 3.11 by its history, not on 3.9 as written") {
		t.Errorf("warnings: %v", e.Warnings)
	}
	a.Branches = a.Branches[:1]
	entries, _ = db.Entries([]*advisory.Advisory{a})
	got = nil
	for _, f := range entries[a.ID].Fixed {
		got = append(got, f.Branch+":"+f.Source)
	}
	if strings.Join(got, " ") != "main:trailer 3.10:authored 3.9:title" {
		t.Errorf("fixes: %v", got)
	}
}

// TestPlaceMergedForward: in CPython's Mercurial years a fix landed on the
// oldest branch and was merged forward into newer ones and main; it belongs
// to the branch of its first (bugfix) release.
func TestPlaceMergedForward(t *testing.T) {
	dir := t.TempDir()
	r := gittest.New(t, dir, true)
	r.Commit("m1", "Initial")
	r.Commit("b1", "Python 3.4.0", "m1")
	r.Tag("v3.4.0", "b1", true)
	r.Commit("m2", "Start 3.5", "m1")
	r.Commit("f", "Issue #20000: Fix the parser", "b1")
	r.Commit("b2", "Python 3.4.1", "f")
	r.Tag("v3.4.1", "b2", true)
	r.Commit("m3", "Merge 3.4", "m2", "f")
	r.Tag("v3.5.0a1", "m3", true)
	r.Branch("main", "m3")
	r.Branch("3.4", "b2")
	as := assemble(t, dir, testProduct)
	g, db := as.Graph, as.Index
	for label, want := range map[string]string{"f": "3.4", "m2": "main", "m3": "main", "m1": "main"} {
		c, _ := g.Lookup(r.Hex(label))
		if got := db.Place(c); got != want {
			t.Errorf("Place(%s) = %q, want %q", label, got, want)
		}
	}
}
