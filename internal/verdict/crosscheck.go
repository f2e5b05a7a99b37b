package verdict

import (
	"fmt"
	"slices"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
)

// Kinds of disagreement between authored release facts and the git truth.
const (
	// KindFixedEarlier: the authored fix release (fixed_in, last_affected_in
	// or unreleased) comes before git's: git finds a later release affected.
	KindFixedEarlier = "fixed-in-earlier-than-git"
	// KindFixedLater: the authored fix release comes after git's: git finds
	// a release the facts call affected already fixed.
	KindFixedLater = "fixed-in-later-than-git"
	// KindFirstAffected: first_affected disagrees with git's first affected
	// release (or "0" claims releases git finds unaffected).
	KindFirstAffected = "first-affected-disagrees"
	// KindNotAffected: status not-affected, but git finds affected releases.
	KindNotAffected = "not-affected-but-git-affected"
	// KindFixedButUnfixed: the facts say fixed, git finds the branch unfixed.
	KindFixedButUnfixed = "fixed-but-git-unfixed"
	// KindUnfixedButFixed: status unfixed, but git finds a fix on the branch.
	KindUnfixedButFixed = "unfixed-but-git-fixed"
	// KindHole: git finds a release inside the authored range not affected.
	KindHole = "range-hole"
	// KindBackportFound: facts without a fix commit; backport discovery found
	// one on the branch.
	KindBackportFound = "no-fix-commit-backport-found"
	// KindBackportNone: facts say fixed without a fix commit, and backport
	// discovery found none on the branch.
	KindBackportNone = "no-fix-commit-none-found"
)

// Kinds lists every kind, in report order.
var Kinds = []string{KindFixedEarlier, KindFixedLater, KindFirstAffected, KindNotAffected,
	KindFixedButUnfixed, KindUnfixedButFixed, KindHole, KindBackportFound, KindBackportNone}

// Disagreement is one finding of the cross-check, at an authored value.
type Disagreement struct {
	Kind string
	// Field is the field path of the authored value ("branches[3].fixed_in").
	Field   string
	Message string
	// Gate: the computed result and the facts disagree on the branch and no
	// accept_git statement says git is right there. Neither may win
	// silently: resolve refuses to write, so validation and publishing
	// stop until the source is corrected.
	Gate bool
	// Branch is the branch of the entry the finding is about.
	Branch string
}

// Disagrees reports whether the kind is a disagreement between the facts
// and the computed result (the backport hints are not).
func Disagrees(kind string) bool {
	return kind != KindBackportFound && kind != KindBackportNone
}

// CrossReport is the cross-check of one advisory.
type CrossReport struct {
	// Checked is the number of branch entries with facts compared; Agreed
	// those with no disagreement.
	Checked, Agreed int
	Findings        []Disagreement
}

// CrossCheck compares an advisory's authored release facts with its
// computed resolution e, over the product's release tags (every tag the
// resolver saw). Each fact entry is judged on every tag: the tags the facts
// call affected and git does not, and the tags of the entry's branch git
// finds affected and the facts do not, name the disagreement, with the tag
// or the commit that proves it.
func CrossCheck(a *advisory.Advisory, o Order, e *lock.Entry, tags []string) CrossReport {
	var r CrossReport
	if e == nil {
		return r
	}
	affected := map[string]bool{}
	for _, v := range e.Versions {
		affected[v] = true
	}
	sorted := sortTags(o, tags)
	for i, b := range a.Branches {
		if !b.HasFacts() || b.Branch == "" {
			continue
		}
		c := crossEntry{o: o, e: e, b: b, path: fmt.Sprintf("branches[%d]", i), affected: affected, tags: sorted, authoredFix: authoredFix(a, e, b.Branch)}
		c.run()
		r.Checked++
		if !c.disagrees {
			r.Agreed++
		}
		for _, f := range c.out {
			f.Branch = b.Branch
			f.Gate = Disagrees(f.Kind) && b.AcceptGit == ""
			r.Findings = append(r.Findings, f)
		}
	}
	return r
}

// Diagnostics turns the findings into diagnostics at the authored values
// (rule "crosscheck"), for lint-style output: a gating disagreement is an
// error that says how to settle it, the rest warnings.
func (r CrossReport) Diagnostics(a *advisory.Advisory) diag.List {
	var out diag.List
	for _, f := range r.Findings {
		p := a.Pos.Of(f.Field)
		d := diag.Diagnostic{File: a.Path, Line: p.Line, Col: p.Col, Severity: diag.Warning,
			Rule: "crosscheck", Message: fmt.Sprintf("%s (%s)", f.Message, f.Kind)}
		if f.Gate {
			d.Severity = diag.Error
			d.Message += fmt.Sprintf("; the computed result and the authored facts disagree on %s, and neither is used until the source is corrected: "+
				"fix the release facts, add the branch's fix commit (fixed:), or, when git is right, state it on this entry (accept_git: why, reviewed)", f.Branch)
		}
		out = append(out, d)
	}
	return out
}

// sortTags orders release tags by the product's order (unparseable last).
func sortTags(o Order, tags []string) []string {
	out := slices.Clone(tags)
	slices.SortStableFunc(out, func(x, y string) int {
		c, err := o.CompareReleases(x, y)
		if err != nil {
			return 0
		}
		return c
	})
	return out
}

// authoredFix reports whether the advisory names a fix commit on the
// branch: a branch entry with the commit, or an authored fix the resolver
// placed there.
func authoredFix(a *advisory.Advisory, e *lock.Entry, branch string) bool {
	for _, b := range a.Branches {
		if b.Branch == branch && (b.Fixed != "" || b.LastAffected != "") {
			return true
		}
	}
	for _, f := range e.Fixed {
		if f.Branch == branch && f.Source == "authored" {
			return true
		}
	}
	return false
}
