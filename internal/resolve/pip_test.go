package resolve

import (
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
)

var pipProduct = &product.Product{Name: "pip", Repo: "https://github.com/pypa/pip",
	TagPattern: `^[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|rc)[0-9]+)?$`, Branches: map[string]string{"main": "feature"}}

// TestPipMainOnly: pip releases from main, so main holds every tag: first
// and last affected over all releases, fixed in the first release after.
func TestPipMainOnly(t *testing.T) {
	dir := t.TempDir()
	r := gittest.New(t, dir, false)
	r.Commit("c1", "Initial")
	r.Tag("20.0", "c1", true)
	r.Commit("c2", "Add the vulnerable download code", "c1")
	r.Tag("20.1b1", "c2", false)
	r.Commit("c3", "More", "c2")
	r.Tag("20.1", "c3", true)
	r.Commit("c4", "Fix the download code (#9000)", "c3")
	r.Commit("c5", "Release", "c4")
	r.Tag("20.2", "c5", true)
	r.Tag("not-a-release", "c5", false)
	r.Branch("main", "c5")
	db := assemble(t, dir, pipProduct).Index
	a := &advisory.Advisory{ID: "PSF-2021-1", Introduced: r.Hex("c2"), Branches: []advisory.Branch{{Fixed: r.Hex("c4")}}}
	entries, ds := db.Entries([]*advisory.Advisory{a})
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	e := entries[a.ID]
	want := &lock.Entry{
		InputDigest: lock.InputDigest(a),
		Fixed:       []lock.Fix{{Commit: r.Hex("c4"), Branch: "main", Source: "authored", Tag: "20.2"}},
		Versions:    []string{"20.1b1", "20.1"},
		Branches:    []lock.BranchResult{{Branch: "main", Status: "fixed", FirstAffected: "20.1b1", LastAffected: "20.1", FixedIn: "20.2", FixCommit: r.Hex("c4")}},
		Changed:     e.Changed,
	}
	assertEntry(t, e, want)
	if e.Changed != "2020-01-01T04:01:00Z" {
		t.Errorf("changed = %s, want the date of 20.2 (annotated, a minute after c5)", e.Changed)
	}
}
