package advisory

import (
	"slices"

	"github.com/psf/advisory-builder/internal/version"
)

// FixAccount is how an advisory's release facts account for its fix
// commits. A fix commit ships first in one branch's release, so facts that
// speak for every branch a fix reached state at least one branch per fix
// commit: a commit placed on a maintenance branch needs that branch's
// facts; a commit on main or with no branch needs some stated branch.
type FixAccount struct {
	// Unplaced are the fix commits (fixed or last_affected) with no branch,
	// and main's, in source order: each needs a stated branch of its own.
	Unplaced []string
	// Unstated are the maintenance branches a fix commit is placed on whose
	// entries state no facts, in source order.
	Unstated []string
	// Stated are the branches whose entries state facts, in source order.
	Stated []string
	// placedCount is the number of maintenance branches fix commits are placed on.
	placedCount int
}

// Accounted reports whether the facts account for every fix commit: each
// placed branch states facts, and the stated branches are at least as many
// as the fix commits' branches (one per placed branch, one per unplaced
// commit).
func (f FixAccount) Accounted() bool {
	return len(f.Unstated) == 0 && len(f.Stated) >= len(f.Unplaced)+f.placed()
}

// Needed is the number of branches the facts must state.
func (f FixAccount) Needed() int { return len(f.Unplaced) + f.placed() }

func (f FixAccount) placed() int { return f.placedCount }

// Account tallies the advisory's fix commits against its release facts.
func (a *Advisory) Account() FixAccount {
	var f FixAccount
	placed := map[string]bool{}
	for _, b := range a.Branches {
		if b.HasFacts() && !slices.Contains(f.Stated, b.Branch) {
			f.Stated = append(f.Stated, b.Branch)
		}
	}
	for _, b := range a.Branches {
		commit := b.Fixed
		if commit == "" {
			commit = b.LastAffected
		}
		switch {
		case commit == "":
		case b.Branch == "" || b.Branch == "main":
			f.Unplaced = append(f.Unplaced, commit)
		case !placed[b.Branch]:
			placed[b.Branch] = true
			f.placedCount++
			if !slices.Contains(f.Stated, b.Branch) {
				f.Unstated = append(f.Unstated, b.Branch)
			}
		}
	}
	return f
}

// Branches is what accounting needs of a product's configuration
// (product.Product): its branch names and which are maintained.
type Branches interface {
	BranchNames() []string
	Stable(branch string) bool
}

// StatesEveryBranch reports whether the facts state every maintained
// branch of p and every configured branch between the oldest and newest
// stated one: then no fix commit can sit on a branch they skip, except one
// older than all of them, which the verdict never answers for from these
// facts. (A fix in several parts per branch outnumbers the branches.)
func (f FixAccount) StatesEveryBranch(p Branches) bool {
	if p == nil || len(f.Stated) == 0 || len(f.UnstatedMaintained(p)) > 0 {
		return false
	}
	var oldest, newest string
	for _, b := range f.Stated {
		if b == "main" {
			continue
		}
		if oldest == "" || version.CompareBranches(b, oldest) < 0 {
			oldest = b
		}
		if newest == "" || version.CompareBranches(b, newest) > 0 {
			newest = b
		}
	}
	if oldest == "" {
		return true
	}
	for _, b := range p.BranchNames() {
		if b != "main" && version.CompareBranches(b, oldest) > 0 && version.CompareBranches(b, newest) < 0 && !slices.Contains(f.Stated, b) {
			return false
		}
	}
	return true
}

// UnstatedMaintained are p's maintained branches (main aside) the facts do
// not state, in branch order.
func (f FixAccount) UnstatedMaintained(p Branches) []string {
	var out []string
	for _, b := range p.BranchNames() {
		if b != "main" && p.Stable(b) && !slices.Contains(f.Stated, b) {
			out = append(out, b)
		}
	}
	return out
}

// Speaks reports whether the facts say enough for every consumer to answer
// from them: they account for every fix commit, or state every branch a
// fix can have reached (StatesEveryBranch) with each placed fix's branch.
func (f FixAccount) Speaks(p Branches) bool {
	return f.Accounted() || (len(f.Unstated) == 0 && f.StatesEveryBranch(p))
}
