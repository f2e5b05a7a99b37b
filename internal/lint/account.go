package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
)

// checkFixAccount refuses release facts that do not account for the
// advisory's fix commits when no current resolution places them (fewer
// stated branches than fix commits' branches, see advisory.FixAccount),
// unless they state every maintained branch and every branch between the
// stated ones (a fix in several parts per branch): every
// consumer would have to guess which branches the unplaced fixes went to,
// and a range stated for one branch would answer for the others. The error
// names the unplaced commits, the branches a commit is placed on without
// facts, and the maintained branches with no facts, and says how to fill
// them.
func checkFixAccount(c *checker) {
	a := c.a
	if !a.HasFacts() || a.Withdrawn != "" || c.hasErrors() || c.resolved() {
		return
	}
	f := a.Account()
	p := c.opts.Products[a.Product]
	if p == nil || f.Speaks(p) {
		return
	}
	var parts []string
	if len(f.Unplaced) > 0 {
		parts = append(parts, fmt.Sprintf("%d fix commit%s with no branch of %s own (%s)", len(f.Unplaced), plural(len(f.Unplaced)), map[bool]string{true: "its", false: "their"}[len(f.Unplaced) == 1], shortCommits(f.Unplaced)))
	}
	if len(f.Unstated) > 0 {
		parts = append(parts, "fix commits placed on "+strings.Join(f.Unstated, ", ")+" whose facts are missing")
	}
	msg := fmt.Sprintf("the release facts state %d branch%s (%s) but the fix commits need %d: %s", len(f.Stated), pluralES(len(f.Stated)), strings.Join(f.Stated, ", "), f.Needed(), strings.Join(parts, "; "))
	if missing := f.UnstatedMaintained(p); len(missing) > 0 {
		msg += "; maintained branches with no facts: " + strings.Join(missing, ", ")
	}
	msg += ". Add an entry per branch with first_affected and fixed_in from the first release whose changelog (Misc/NEWS.d/<release>.rst) names the fix, or status: not-affected / unfixed, and give each fix commit its branch; or run `advisory resolve` with a clone (docs/format.md, Release facts)"
	c.errorf("facts", firstFacts(a), "%s", msg)
}

// resolved reports whether the advisory has a current lock entry.
func (c *checker) resolved() bool {
	return c.opts.Resolved != nil && c.opts.Resolved(c.a)
}

func shortCommits(cs []string) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c[:min(12, len(c))]
	}
	return strings.Join(out, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func pluralES(n int) string {
	if n == 1 {
		return ""
	}
	return "es"
}

// checkContradictions refuses facts that contradict the commit data: a
// fix commit on a branch stated not affected, and an advisory affected
// since the first commit, fixed nowhere, whose facts say no branch is
// affected (its GIT range would call every release affected).
func checkContradictions(c *checker) {
	a := c.a
	for i, b := range a.Branches {
		if b.Status == lock.FactNotAffected && b.Fixed != "" {
			c.errorf("facts", fmt.Sprintf("branches[%d].status", i), "status not-affected, but the entry names the fix commit %s on this branch; a branch that needed a fix was affected: state first_affected and fixed_in, or move the commit to its own entry", short(b.Fixed))
		}
	}
	if a.Introduced != "0" || !a.HasFacts() || hasFixCommit(a) {
		return
	}
	for _, b := range a.Branches {
		if b.HasFacts() && b.Status != lock.FactNotAffected {
			return
		}
	}
	c.errorf("facts", firstFacts(a), `introduced is "0" and no branch has a fix commit, so the GIT range says every release is affected, but every stated branch is not-affected; give the introducing commit, the fix commits, or the affected branches' facts`)
}

func hasFixCommit(a *advisory.Advisory) bool {
	return slices.ContainsFunc(a.Branches, func(b advisory.Branch) bool { return b.Fixed != "" || b.LastAffected != "" })
}

func short(c string) string { return c[:min(12, len(c))] }
