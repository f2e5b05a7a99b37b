package conformance

import (
	"slices"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/resolve"
	"github.com/psf/advisory-builder/internal/verdict"
)

// pypiWithBranches is a PyPI product that keeps X.Y maintenance branches.
var pypiWithBranches = &product.Product{Name: "pip", Title: "pip", Repo: "https://github.com/pypa/pip",
	TagPattern: `^[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|rc)[0-9]+)?$`,
	Package:    &product.Package{Ecosystem: "PyPI", Name: "pip", PURL: "pkg:pypi/pip"},
	Branches:   map[string]string{"main": "feature", "1.1": "security", "2.0": "bugfix"}}

// pypiBranchRepo builds the product's history: the bug lands between 1.0
// and 1.1; branches 1.1 and 2.0 fork from main; the fix (#900) lands on
// main and is backported with cherry-pick trailers, released in 1.1.2 and
// 2.0.2 (2.0.1 is released before the backport). Main releases 3.0 after
// the fix, or, with fixAfter30, releases 3.0 before it and 3.1 after.
func pypiBranchRepo(t *testing.T, dir string, fixAfter30 bool) *gittest.Repo {
	r := gittest.New(t, dir, false)
	r.Commit("c1", "Initial")
	r.Tag("1.0", "c1", true)
	r.Commit("c2", "Add the vulnerable download code", "c1")
	r.Commit("c3", "Release 1.1", "c2")
	r.Tag("1.1", "c3", true)
	r.Commit("b11_1", "Release 1.1.1", "c3")
	r.Tag("1.1.1", "b11_1", false)
	r.Commit("c4", "Release 2.0", "c3")
	r.Tag("2.0", "c4", true)
	r.Commit("b20_1", "Release 2.0.1", "c4")
	r.Tag("2.0.1", "b20_1", true)
	fixParent := "c4"
	if fixAfter30 {
		r.Commit("c30", "Release 3.0", "c4")
		r.Tag("3.0", "c30", true)
		fixParent = "c30"
	}
	r.Commit("c5", "Fix the download code (#900)", fixParent)
	r.Commit("b11_2", "[1.1] Fix the download code (GH-900) (#901)\n\n(cherry picked from commit "+r.Hex("c5")+")", "b11_1")
	r.Commit("b11_3", "Release 1.1.2", "b11_2")
	r.Tag("1.1.2", "b11_3", true)
	r.Commit("b20_2", "[2.0] Fix the download code (GH-900) (#902)\n\n(cherry picked from commit "+r.Hex("c5")+")", "b20_1")
	r.Commit("b20_3", "Release 2.0.2", "b20_2")
	r.Tag("2.0.2", "b20_3", true)
	if fixAfter30 {
		r.Commit("c6", "Release 3.1", "c5")
		r.Tag("3.1", "c6", true)
	} else {
		r.Commit("c6", "Release 3.0", "c5")
		r.Tag("3.0", "c6", true)
	}
	r.Branch("main", "c6")
	r.Branch("1.1", "b11_3")
	r.Branch("2.0", "b20_3")
	r.Head("main")
	return r
}

// TestPyPIBranchRanges resolves an advisory of a PyPI product with
// maintenance branches and converts it: the ECOSYSTEM range has one
// introduced/fixed pair per affected branch, and osv-scalibr matches every
// listed version and no other release (nor versions between releases).
func TestPyPIBranchRanges(t *testing.T) {
	dir := t.TempDir()
	r := pypiBranchRepo(t, dir, false)
	for _, tc := range []struct {
		name       string
		introduced string
		want       []string // affected releases
		events     []osv.Event
		between    []string // versions with no tag, and whether they match
		betweenIn  []bool
	}{
		{"introduced by a commit", r.Hex("c2"),
			[]string{"1.1", "1.1.1", "2.0", "2.0.1"},
			[]osv.Event{{Introduced: "1.1"}, {Fixed: "1.1.2"}, {Introduced: "2.0"}, {Fixed: "2.0.2"}},
			[]string{"0.9", "1.0.1", "1.1.1.post1", "1.1.3", "2.0.1.post1", "2.0.3", "3.0.1", "2.0.2a1"},
			[]bool{false, false, true, false, true, false, false, true}},
		{"as old as the project", "0",
			[]string{"1.0", "1.1", "1.1.1", "2.0", "2.0.1"},
			// 1.0 has no later release: its series stays open into 1.1's
			[]osv.Event{{Introduced: "0"}, {Fixed: "1.1.2"}, {Introduced: "2.0"}, {Fixed: "2.0.2"}},
			[]string{"0.2", "0.6.3", "1.0.1", "1.1.3", "3.0.1"},
			[]bool{true, true, true, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &advisory.Advisory{ID: "PSF-2030-1", Product: "pip", Published: "2030-01-01T00:00:00Z",
				Title: "t", Introduced: tc.introduced, Branches: []advisory.Branch{{Branch: "main", Fixed: r.Hex("c5")}}}
			e := resolveOne(t, dir, a)
			if !slices.Equal(e.Versions, tc.want) {
				t.Fatalf("versions %v, want %v", e.Versions, tc.want)
			}
			v := osv.Convert(a, pypiWithBranches, verdict.Of(a, e), "2030-01-02T00:00:00Z")
			eco := v.Affected[0].Ranges[0]
			if eco.Type != "ECOSYSTEM" || !slices.Equal(eco.Events, tc.events) {
				t.Errorf("ECOSYSTEM events %+v, want %+v", eco.Events, tc.events)
			}
			vulns := decodeAll(t, []*osv.Record{record(t, v)})
			all := []string{"1.0", "1.1", "1.1.1", "1.1.2", "2.0", "2.0.1", "2.0.2", "3.0"}
			for _, ver := range all {
				in := slices.Contains(e.Versions, ver)
				if got := len(matchedIDs(vulns, pipPkg(ver))) == 1; got != in {
					t.Errorf("osvlocal matches %s: %v, listed in versions: %v", ver, got, in)
				}
			}
			for i, ver := range tc.between {
				if got := len(matchedIDs(vulns, pipPkg(ver))) == 1; got != tc.betweenIn[i] {
					t.Errorf("osvlocal matches untagged %s: %v, want %v", ver, got, tc.betweenIn[i])
				}
			}
		})
	}
}

func resolveOne(t *testing.T, dir string, a *advisory.Advisory) *lock.Entry {
	t.Helper()
	as, err := resolve.Open(dir, pypiWithBranches, gitgraph.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	defer as.Graph.Close()
	entries, ds := as.Index.Entries([]*advisory.Advisory{a})
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	e := entries[a.ID]
	t.Logf("branches %+v", e.Branches)
	return e
}

func record(t *testing.T, v *osv.Vulnerability) *osv.Record {
	t.Helper()
	b, err := osv.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return &osv.Record{Vuln: v, JSON: b}
}

// TestPyPIBranchRangesMainFix: main released 3.0 before the fix, and the
// fix first in 3.1; the 3.0 series has no later release, so main's fix
// release closes the range (without it, 3.1 and every later release would
// match).
func TestPyPIBranchRangesMainFix(t *testing.T) {
	dir := t.TempDir()
	r := pypiBranchRepo(t, dir, true)
	a := &advisory.Advisory{ID: "PSF-2030-2", Product: "pip", Published: "2030-01-01T00:00:00Z",
		Title: "t", Introduced: r.Hex("c2"), Branches: []advisory.Branch{{Branch: "main", Fixed: r.Hex("c5")}}}
	e := resolveOne(t, dir, a)
	want := []string{"1.1", "1.1.1", "2.0", "2.0.1", "3.0"}
	if !slices.Equal(e.Versions, want) {
		t.Fatalf("versions %v, want %v", e.Versions, want)
	}
	v := osv.Convert(a, pypiWithBranches, verdict.Of(a, e), "2030-01-02T00:00:00Z")
	wantEvents := []osv.Event{{Introduced: "1.1"}, {Fixed: "1.1.2"}, {Introduced: "2.0"}, {Fixed: "2.0.2"}, {Introduced: "3.0"}, {Fixed: "3.1"}}
	if got := v.Affected[0].Ranges[0].Events; !slices.Equal(got, wantEvents) {
		t.Errorf("ECOSYSTEM events %+v, want %+v", got, wantEvents)
	}
	vulns := decodeAll(t, []*osv.Record{record(t, v)})
	for _, ver := range []string{"1.0", "1.1", "1.1.1", "1.1.2", "2.0", "2.0.1", "2.0.2", "3.0", "3.0.1", "3.1", "3.2", "4.0"} {
		in := slices.Contains(want, ver) || ver == "3.0.1" // an untagged 3.0.x predates the fix
		if got := len(matchedIDs(vulns, pipPkg(ver))) == 1; got != in {
			t.Errorf("osvlocal matches %s: %v, want %v", ver, got, in)
		}
	}
}

// TestRepositoryPipRecord: the repository's own pip record, resolved
// against pypa/pip, matches releases that exist on PyPI without a git tag
// (0.2, 0.6.3) and the last release before the fix, and not the fix.
func TestRepositoryPipRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the repository's database")
	}
	all, _ := checkBuild(t, moduleRoot(t))
	for ver, want := range map[string]bool{"0.2": true, "0.6.3": true, "1.5.6": true, "23.2.1": true, "23.3": false, "25.3": false} {
		got := slices.Contains(matchedIDs(all, pipPkg(ver)), "PSF-2023-13")
		if got != want {
			t.Errorf("pip %s: PSF-2023-13 matched %v, want %v", ver, got, want)
		}
	}
}
