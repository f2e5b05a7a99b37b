package check

import (
	"slices"

	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/version"
)

// Entry is what checking needs of one advisory, from sources plus lock or
// from a built record.
type Entry struct {
	ID        string
	Product   string
	Aliases   []string
	Title     string
	Severity  string
	Withdrawn bool
	// Versions are the affected release tags; Branches the per-branch
	// summary of the resolution.
	Versions []string
	Branches []lock.BranchResult
	// Resolved tells whether the advisory has a resolution at all.
	Resolved bool
}

// Finding is one advisory affecting the queried version.
type Finding struct {
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases"`
	Title    string   `json:"title"`
	Severity string   `json:"severity,omitempty"`
	Branch   string   `json:"branch,omitempty"`
	// Status is the branch's status: fixed or unfixed.
	Status string `json:"status,omitempty"`
	// FixedIn is the release of the version's branch with the fix.
	FixedIn string `json:"fixed_in,omitempty"`
}

// Check lists the advisories affecting the queried version, by ID. A
// version the resolution saw is affected iff it is one of the affected
// tags; a release newer than every tag the resolution saw on its branch
// (the lock predates it) is affected while the branch is unfixed or the
// release comes before the branch's fixed-in release. Withdrawn advisories
// never match.
func Check(entries []Entry, q Query) []Finding {
	out := []Finding{}
	for _, e := range entries {
		if e.Product != q.Product || e.Withdrawn {
			continue
		}
		b := branchOf(e.Branches, q.Version)
		if !affected(e, b, q.Version) {
			continue
		}
		f := Finding{ID: e.ID, Aliases: e.Aliases, Title: e.Title, Severity: e.Severity}
		if f.Aliases == nil {
			f.Aliases = []string{}
		}
		if b != nil {
			f.Branch, f.Status = b.Branch, b.Status
			if b.FixedIn != "" {
				f.FixedIn = cverecord.Plain(b.FixedIn)
			}
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(x, y Finding) int { return compareIDs(x.ID, y.ID) })
	return out
}

func affected(e Entry, b *lock.BranchResult, v version.Version) bool {
	for _, tag := range e.Versions {
		if t, err := version.Parse(tag); err == nil && same(t, v) {
			return true
		}
	}
	if b == nil || b.FirstAffected == "" || b.Status == lock.StatusNotAffected {
		return false
	}
	first, err1 := version.Parse(b.FirstAffected)
	last, err2 := version.Parse(b.LastAffected)
	if err1 != nil || err2 != nil || less(v, first) || !less(last, v) {
		return false // the resolution saw this release: the tag list decides
	}
	if b.Status == lock.StatusUnfixed {
		return true
	}
	fixed, err := version.Parse(b.FixedIn)
	return err == nil && less(v, fixed)
}

// branchOf is the resolution's result for the version's X.Y branch, else
// the result whose range holds the version (products such as pip release
// from main), else main's.
func branchOf(bs []lock.BranchResult, v version.Version) *lock.BranchResult {
	for i := range bs {
		if bs[i].Branch == v.Branch() {
			return &bs[i]
		}
	}
	for i := range bs {
		if inRange(bs[i], v) {
			return &bs[i]
		}
	}
	for i := range bs {
		if bs[i].Branch == "main" {
			return &bs[i]
		}
	}
	return nil
}

// inRange reports whether v lies between the branch's first affected
// release and its fixed-in release (or its last affected one when unfixed).
func inRange(b lock.BranchResult, v version.Version) bool {
	first, err := version.Parse(b.FirstAffected)
	if err != nil || less(v, first) {
		return false
	}
	if end, err := version.Parse(b.FixedIn); err == nil {
		return less(v, end)
	}
	last, err := version.Parse(b.LastAffected)
	return err == nil && !less(last, v)
}

// same compares versions by number, ignoring spelling (v3.12.4 = 3.12.4,
// 2.5c1 = 2.5rc1, 2.7 = 2.7.0).
func same(a, b version.Version) bool {
	return a.Major == b.Major && a.Minor == b.Minor && a.Patch == b.Patch && a.Kind == b.Kind && a.Pre == b.Pre
}

func less(a, b version.Version) bool { return !same(a, b) && a.Less(b) }

// Unresolved lists, by ID, the advisories of the product that are not
// withdrawn and have no resolution: check cannot say whether they affect a
// version.
func Unresolved(entries []Entry, prod string) []string {
	out := []string{}
	for _, e := range entries {
		if e.Product == prod && !e.Withdrawn && !e.Resolved {
			out = append(out, e.ID)
		}
	}
	slices.SortFunc(out, compareIDs)
	return out
}
