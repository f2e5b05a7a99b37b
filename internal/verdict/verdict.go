// Package verdict says what an advisory's version data is and where it comes
// from: the computed resolution when the lock holds a current entry, else
// the authored release facts, else nothing ("unknown"). Every consumer (the
// records, check, the CVE record, the e-mail) asks it, so that all of them
// answer from the same data and say which, and none says "not affected" when
// the data does not tell.
package verdict

import (
	"slices"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/version"
)

// Source is where an advisory's version data comes from.
type Source string

// Sources, best first.
const (
	// Computed: a lock entry whose input digest matches the source.
	Computed Source = "computed"
	// Authored: the release facts of the source's branch entries, with no
	// usable lock entry.
	Authored Source = "authored"
	// Unknown: neither; nothing can be said about any version.
	Unknown Source = "unknown"
)

// Summary is an advisory's version data.
type Summary struct {
	Source Source
	// Branches is the per-branch summary, main first, then newest branch
	// first. Computed rows name release tags as tagged (v3.12.6); authored
	// rows name releases as authored (3.12.6, first affected "0").
	Branches []lock.BranchResult
	// FromRoot: the advisory's introduced is "0" (the commit data reaches
	// every release since the first); authored facts that skip an older
	// stable branch cannot answer for it (RootSilent).
	FromRoot bool
	// Versions are the affected release tags (computed only).
	Versions []string
	// Entry is the lock entry behind a computed summary, else nil.
	Entry *lock.Entry
	// Reaches: authored facts may answer beyond their own branches, because
	// they account for every fix commit of the advisory (each fix's branch
	// states facts; see advisory.FixAccount): no fix the data knows of can
	// have reached a branch the facts skip. Without it a fact speaks for
	// its own branch only, and a branch with no row cannot be told.
	Reaches bool
	// Releases are the product's known release tags, in release order (the
	// release list; nil when the product has none): authored facts are
	// enumerated over them for a record's versions.
	Releases []string
	// SawAll: computed, and the resolution saw exactly the product's known
	// releases (the lock's tag digest is the release list's), so a known
	// release missing from Versions is proven not affected.
	SawAll bool
}

// Of is the summary of an advisory given its lock entry (nil when the lock
// has none). A stale entry (its input digest differs) is not used.
func Of(a *advisory.Advisory, e *lock.Entry) Summary {
	if e != nil && e.InputDigest == lock.InputDigest(a) {
		return Summary{Source: Computed, Branches: e.Branches, Versions: e.Versions, Entry: e}
	}
	if a.HasFacts() {
		return Summary{Source: Authored, Branches: Facts(a), FromRoot: a.Introduced == "0", Reaches: a.Account().Accounted()}
	}
	return Summary{Source: Unknown}
}

// AffectedReleases are the known releases the summary says are affected:
// a computed summary's tags, or the releases authored facts hold, in
// release order. Releases nobody can tell are left out (never claimed).
func (s Summary) AffectedReleases(o Order) []string {
	switch s.Source {
	case Computed:
		return s.Versions
	case Authored:
		var out []string
		for _, v := range s.Releases {
			if s.Affects(o, v).Outcome == Affected {
				out = append(out, v)
			}
		}
		return out
	}
	return nil
}

// Known reports whether the summary can answer for some version.
func (s Summary) Known() bool { return s.Source == Computed || s.Source == Authored }

// Affected is the summary's affected rows, oldest branch first (see
// lock.Entry.Affected).
func (s Summary) Affected() []lock.BranchResult {
	return (&lock.Entry{Branches: s.Branches}).Affected()
}

// Facts turns the authored release facts into summary rows, one per branch
// entry with facts (identical repeats once), main first, then newest branch
// first: fixed_in gives a fixed row, last_affected_in a fixed row bounded by
// its last affected release, unreleased a fixed row with no release yet,
// unfixed and not-affected their own status (lock.FactRow, beside the
// release-status table and its inverse).
func Facts(a *advisory.Advisory) []lock.BranchResult {
	var out []lock.BranchResult
	for _, b := range a.Branches {
		if !b.HasFacts() {
			continue
		}
		r := lock.FactRow(b)
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y lock.BranchResult) int { return -version.CompareBranches(x.Branch, y.Branch) })
	return out
}
