package lint

import (
	"fmt"
	"maps"
	"slices"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/psf/advisory-builder/internal/version"
)

// checkSilentBranches warns, at the first release facts, about each
// maintained branch (bugfix or security in the products configuration) the
// facts say nothing about although the advisory reaches it: an entry names
// a commit on it, its facts rows lie on both sides of it or end before it
// with a fix released after the branch was cut (verdict.Silent: check
// cannot tell its releases), or introduced is "0" and it is older than
// every row without a row from "0" covering it.
func checkSilentBranches(c *checker) {
	p := c.opts.Products[c.a.Product]
	if p == nil || !c.a.HasFacts() || c.a.Withdrawn != "" || c.hasErrors() {
		return
	}
	rows := verdict.Facts(c.a)
	at := firstFacts(c.a)
	for _, b := range slices.Sorted(maps.Keys(p.Branches)) {
		st := p.Branches[b]
		if (st != product.StatusBugfix && st != product.StatusSecurity) || hasRow(rows, b) {
			continue
		}
		why := ""
		switch {
		case namesCommit(c.a, b):
			why = "an entry names its commit"
		case verdict.Silent(p, rows, b):
			why = "stated branches lie on both sides of it, or the newest stated one was fixed in a final release, after it may have been cut; check cannot tell its releases until then"
		case c.a.Introduced == "0" && olderThanAll(rows, b) && !coveredFromRoot(rows, b):
			why = `introduced is "0", so the branches before the first stated one are affected too`
		default:
			continue
		}
		c.warnf("facts", at, "the release facts say nothing about branch %s (%s in %s), though the advisory reaches it (%s); add an entry for it with fixed_in, status: unfixed or status: not-affected",
			b, st, product.ConfigPath(""), why)
	}
}

func firstFacts(a *advisory.Advisory) string {
	for i, b := range a.Branches {
		if b.HasFacts() {
			return fmt.Sprintf("branches[%d]", i)
		}
	}
	return "branches"
}

func hasRow(rows []lock.BranchResult, b string) bool {
	return slices.ContainsFunc(rows, func(r lock.BranchResult) bool { return r.Branch == b })
}

func namesCommit(a *advisory.Advisory, b string) bool {
	return slices.ContainsFunc(a.Branches, func(x advisory.Branch) bool { return x.Branch == b && x.HasCommit() })
}

func olderThanAll(rows []lock.BranchResult, b string) bool {
	for _, r := range rows {
		if r.Branch != "" && r.Status != lock.StatusNotAffected && version.CompareBranches(r.Branch, b) <= 0 {
			return false
		}
	}
	return true
}

// coveredFromRoot: a row whose range starts at "0" on a newer branch holds
// every release of the older branch b.
func coveredFromRoot(rows []lock.BranchResult, b string) bool {
	return slices.ContainsFunc(rows, func(r lock.BranchResult) bool {
		return r.FirstAffected == "0" && r.Status != lock.StatusNotAffected && version.CompareBranches(r.Branch, b) > 0
	})
}
