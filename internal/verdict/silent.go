package verdict

import (
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/version"
)

// Silent reports whether authored facts say nothing about a branch their
// own rows show the vulnerability reached, so that no answer for its
// releases can come from them: the branch has no row, and it lies between
// two branches with affected rows, or it is newer than every affected row
// while the newest one was fixed in a final release or not at all (the main
// fix may have landed after the branch was cut). A branch newer than a row
// fixed before its branch's first final release (3.13.0rc2) was cut from a
// main that already had the fix, and is not silent; so is a branch that
// main's row speaks for (main fixed in a release of that branch or an older
// one).
func Silent(o Order, rows []lock.BranchResult, branch string) bool {
	var older, newer bool
	var newest *lock.BranchResult
	for i, r := range rows {
		if r.Branch == branch || mainSpeaksFor(o, r, branch) {
			return false
		}
		if r.Branch == "" || r.Status == lock.StatusNotAffected {
			continue
		}
		switch c := version.CompareBranches(r.Branch, branch); {
		case c > 0:
			newer = true
		case c < 0:
			older = true
			if newest == nil || version.CompareBranches(r.Branch, newest.Branch) > 0 {
				newest = &rows[i]
			}
		}
	}
	switch {
	case newer:
		return older
	case !older:
		return false
	}
	return !fixedBeforeFinal(o, *newest)
}

// mainSpeaksFor reports whether r is main's row with a fix released on
// branch or an older one: branch was cut from main, so main's range (up to
// that fix) describes it.
func mainSpeaksFor(o Order, r lock.BranchResult, branch string) bool {
	fix := r.FixedIn
	if fix == "" {
		fix = r.LastAffected
	}
	if r.Branch != "main" || fix == "" {
		return false
	}
	b, err := o.ReleaseBranch(fix)
	return err == nil && b != "main" && version.CompareBranches(b, branch) <= 0
}

// fixedBeforeFinal reports whether a row's fix was released before its
// branch's first final release (X.Y.0).
func fixedBeforeFinal(o Order, r lock.BranchResult) bool {
	fix := r.FixedIn
	if fix == "" {
		fix = r.LastAffected
	}
	if fix == "" || r.Branch == "main" {
		return false
	}
	c, ok := cmp(o, fix, r.Branch+".0")
	return ok && c < 0
}
