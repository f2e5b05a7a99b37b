package verdict

import (
	"slices"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/version"
)

// Order is a product's release order; *product.Product implements it
// (CPython's order, PEP 440 for PyPI products).
type Order interface {
	// CompareReleases orders two releases by number (zero: the same release).
	CompareReleases(a, b string) (int, error)
	// ReleaseBranch is the branch a release belongs to (X.Y or main).
	ReleaseBranch(v string) (string, error)
	// Stable reports whether a branch is released and still fixed (bugfix
	// or security): the branches authored facts must speak for.
	Stable(branch string) bool
}

// Outcome is the answer to "does the advisory affect this version?".
type Outcome string

// Outcomes.
const (
	Affected    Outcome = "affected"
	NotAffected Outcome = "not-affected"
	// CannotTell: the advisory has no version data (or data that does not
	// parse); never read it as "not affected".
	CannotTell Outcome = "unknown"
)

// Answer is an outcome and the data it comes from.
type Answer struct {
	Outcome Outcome
	Source  Source
	// Branch is the summary row that decided (affected), or the row of the
	// version's branch (not affected), when there is one.
	Branch *lock.BranchResult
}

// Affects answers whether the advisory affects release v of its product.
// A summary with a bound that does not parse answers "cannot tell" for
// every release.
//
// Computed: v is affected iff it is one of the affected tags. A release the
// resolution did not see (newer than every release it names, or any
// release not on the product's known list when the lock saw exactly that
// list) is affected while its branch (or main) is unfixed or v precedes the
// branch's fixed-in release, and cannot be told when nothing says whether
// the resolution saw it.
//
// Authored: a fact speaks for its own branch (see authored).
func (s Summary) Affects(o Order, v string) Answer {
	if !s.parses(o) {
		return Answer{Outcome: CannotTell, Source: s.Source}
	}
	switch s.Source {
	case Computed:
		return s.computed(o, v)
	case Authored:
		return s.authored(o, v)
	}
	return Answer{Outcome: CannotTell, Source: Unknown}
}

// parses reports whether every bound of every row is a release of the
// product (or "0" as a first affected release).
func (s Summary) parses(o Order) bool {
	for _, r := range s.Branches {
		for _, b := range []string{r.FirstAffected, r.LastAffected, r.FixedIn} {
			if b == "" || (b == "0" && b == r.FirstAffected) {
				continue
			}
			if _, err := o.CompareReleases(b, b); err != nil {
				return false
			}
		}
	}
	return true
}

func (s Summary) computed(o Order, v string) Answer {
	b := branchOf(o, s.Branches, v)
	ans := Answer{Outcome: NotAffected, Source: Computed, Branch: b}
	for _, tag := range s.Versions {
		if c, ok := cmp(o, tag, v); ok && c == 0 {
			ans.Outcome = Affected
			return ans
		}
	}
	if s.SawAll {
		return ans // the resolution saw every known release: the tag list decides
	}
	if b != nil && b.FirstAffected == "" && b.Status == lock.StatusUnfixed {
		// No affected release yet on an unfixed branch (main): a release
		// after the resolution is affected; when the summary names no
		// release at all, nobody can tell which releases it saw.
		switch after, told := s.afterResolution(o, v); {
		case !told:
			ans.Outcome = CannotTell
		case after:
			ans.Outcome = Affected
		}
		return ans
	}
	if b == nil || b.FirstAffected == "" || b.Status == lock.StatusNotAffected {
		return ans
	}
	afterFirst, ok1 := cmp(o, v, b.FirstAffected)
	afterLast, ok2 := cmp(o, v, b.LastAffected)
	if !ok1 || !ok2 || afterFirst < 0 || afterLast <= 0 {
		return ans // the resolution saw this release: the tag list decides
	}
	if b.Status == lock.StatusUnfixed {
		ans.Outcome = Affected
		return ans
	}
	if c, ok := cmp(o, v, b.FixedIn); ok && c < 0 {
		ans.Outcome = Affected
	}
	return ans
}

// afterResolution reports whether v is newer than every release the
// summary names (a release the resolution cannot have seen); told is false
// when the summary names no release.
func (s Summary) afterResolution(o Order, v string) (after, told bool) {
	known := slices.Clone(s.Versions)
	for _, b := range s.Branches {
		known = append(known, b.FirstAffected, b.LastAffected, b.FixedIn)
	}
	seen := false
	for _, k := range known {
		if k == "" || k == "0" {
			continue
		}
		c, ok := cmp(o, v, k)
		if !ok {
			return false, false
		}
		if c <= 0 {
			return false, true
		}
		seen = true
	}
	return seen, seen
}

// authored judges v by the release facts. A fact speaks for its own
// branch: a row of v's branch decides (a pre-release below a first
// affected X.Y.0 is affected when the flaw predates the branch, and cannot
// be told otherwise). For a branch with no row, another row's range answers
// only when the facts account for every fix commit (Reaches) or the row is
// main's; a branch the facts skip between or after stated branches
// (Silent), or older than every stated one when introduced is "0", cannot
// be told; older than every stated branch with a known introducing commit,
// it is not affected when the oldest stated branch was affected from its
// own first release.
func (s Summary) authored(o Order, v string) Answer {
	branch, err := o.ReleaseBranch(v)
	if err != nil {
		return Answer{Outcome: CannotTell, Source: Authored}
	}
	if own := ownRow(o, s.Branches, v); own != nil {
		return s.ownAnswer(o, *own, v)
	}
	for i := range s.Branches {
		r := &s.Branches[i]
		if in, _ := covers(o, *r, v); in {
			if s.Reaches || r.Branch == "main" {
				return Answer{Outcome: Affected, Source: Authored, Branch: r}
			}
			return Answer{Outcome: CannotTell, Source: Authored, Branch: r}
		}
	}
	if Silent(o, s.Branches, branch) || s.olderUntold(o, branch) {
		return Answer{Outcome: CannotTell, Source: Authored}
	}
	return Answer{Outcome: NotAffected, Source: Authored}
}

// ownAnswer judges v by the row of its own branch.
func (s Summary) ownAnswer(o Order, r lock.BranchResult, v string) Answer {
	ans := Answer{Outcome: NotAffected, Source: Authored, Branch: &r}
	in, ok := covers(o, r, v)
	switch {
	case !ok:
		ans.Outcome = CannotTell
	case in:
		ans.Outcome = Affected
	case s.belowFirstFinal(o, r, v):
		ans.Outcome = CannotTell
		if s.predates(o, r.Branch) {
			ans.Outcome = Affected
		}
	}
	return ans
}

// belowFirstFinal reports whether v is a pre-release below a row's first
// affected release when that is its branch's first final release (X.Y.0):
// the CVE-style bound says nothing about the branch's pre-releases.
func (s Summary) belowFirstFinal(o Order, r lock.BranchResult, v string) bool {
	if r.Status == lock.StatusNotAffected || r.FirstAffected == "0" || r.Branch == "main" {
		return false
	}
	first, ok := cmp(o, r.FirstAffected, r.Branch+".0")
	below, ok2 := cmp(o, v, r.FirstAffected)
	return ok && ok2 && first == 0 && below < 0
}

// predates reports whether the flaw is older than the branch: introduced
// is "0", or an older branch's row is affected.
func (s Summary) predates(o Order, branch string) bool {
	if s.FromRoot {
		return true
	}
	for _, r := range s.Branches {
		if r.Status != lock.StatusNotAffected && r.Branch != "main" && version.CompareBranches(r.Branch, branch) < 0 {
			return true
		}
	}
	return false
}

// olderUntold reports whether branch is older than every stated affected
// branch and the facts cannot say it is unaffected: introduced is "0" (the
// commit data reaches every release), or the oldest stated branch was
// first affected after its own first release (the flaw may have come by a
// backport that older branches also got).
func (s Summary) olderUntold(o Order, branch string) bool {
	var oldest *lock.BranchResult
	for i, r := range s.Branches {
		if r.Status == lock.StatusNotAffected || r.Branch == "" {
			continue
		}
		if r.Branch == "main" || version.CompareBranches(r.Branch, branch) <= 0 {
			return false
		}
		if oldest == nil || version.CompareBranches(r.Branch, oldest.Branch) < 0 {
			oldest = &s.Branches[i]
		}
	}
	if oldest == nil {
		return false
	}
	if s.FromRoot || oldest.FirstAffected == "0" {
		return true
	}
	c, ok := cmp(o, oldest.FirstAffected, nextFinal(oldest.Branch))
	return !ok || c >= 0
}

// nextFinal is the second final release of a branch (X.Y.1): a first
// affected release before it lies in the branch's own development.
func nextFinal(branch string) string { return branch + ".1" }

// covers reports whether an authored row's range holds v; ok is false when
// a bound does not parse.
func covers(o Order, r lock.BranchResult, v string) (in, ok bool) {
	if r.Status == lock.StatusNotAffected {
		return false, true
	}
	if r.FirstAffected != "0" {
		c, ok := cmp(o, v, r.FirstAffected)
		if !ok || c < 0 {
			return false, ok
		}
	}
	switch {
	case r.FixedIn != "":
		c, ok := cmp(o, v, r.FixedIn)
		return ok && c < 0, ok
	case r.LastAffected != "":
		c, ok := cmp(o, v, r.LastAffected)
		return ok && c <= 0, ok
	case r.Branch == "main":
		return true, true
	}
	b, err := o.ReleaseBranch(v)
	if err != nil {
		return false, false
	}
	return version.CompareBranches(b, r.Branch) <= 0, true
}

// branchOf is the row of v's branch, else the row whose range holds v
// (products such as pip release from main), else main's.
func branchOf(o Order, bs []lock.BranchResult, v string) *lock.BranchResult {
	if r := ownRow(o, bs, v); r != nil {
		return r
	}
	for i := range bs {
		if inRange(o, bs[i], v) {
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

func ownRow(o Order, bs []lock.BranchResult, v string) *lock.BranchResult {
	b, err := o.ReleaseBranch(v)
	if err != nil {
		return nil
	}
	for i := range bs {
		if bs[i].Branch == b {
			return &bs[i]
		}
	}
	return nil
}

// inRange reports whether v lies between a computed row's first affected
// release and its fixed-in release (or its last affected one when unfixed).
func inRange(o Order, b lock.BranchResult, v string) bool {
	if c, ok := cmp(o, v, b.FirstAffected); !ok || c < 0 {
		return false
	}
	if b.FixedIn != "" {
		c, ok := cmp(o, v, b.FixedIn)
		return ok && c < 0
	}
	c, ok := cmp(o, v, b.LastAffected)
	return ok && c <= 0
}

// cmp compares two releases; ok is false when either does not parse.
func cmp(o Order, a, b string) (int, bool) {
	if a == "" || b == "" {
		return 0, false
	}
	c, err := o.CompareReleases(a, b)
	return c, err == nil
}
