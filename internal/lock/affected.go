package lock

import (
	"slices"

	"github.com/psf/advisory-builder/internal/version"
)

// Affected returns the branches that have affected releases, oldest branch
// first ("main" last): the rows behind every per-branch range the exports
// derive (OSV ECOSYSTEM events, CVE version ranges, the announcement).
func (e *Entry) Affected() []BranchResult {
	var out []BranchResult
	for _, b := range e.Branches {
		if b.FirstAffected != "" && StatusAffects(b.Status) {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(x, y BranchResult) int { return version.CompareBranches(x.Branch, y.Branch) })
	return out
}
