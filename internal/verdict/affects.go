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
//
// Computed: v is affected iff it is one of the affected tags; a release
// newer than every tag the resolution saw on its branch (the lock predates
// it) is affected while the branch is unfixed or v precedes the branch's
// fixed-in release.
//
// Authored: v is affected iff a row's range holds it: [first affected,
// fixed in), [first affected, last affected], or, for an unfixed branch or
// one whose fix is not released, every release from the first affected one
// up to the end of the row's branch (main: no end). First affected "0" has
// no lower bound.
func (s Summary) Affects(o Order, v string) Answer {
	switch s.Source {
	case Computed:
		return s.computed(o, v)
	case Authored:
		return s.authored(o, v)
	}
	return Answer{Outcome: CannotTell, Source: Unknown}
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
	if b != nil && b.FirstAffected == "" && b.Status == lock.StatusUnfixed && s.newerThanAll(o, v) {
		ans.Outcome = Affected // a release cut after the lock from a branch (main) still unfixed
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

func (s Summary) authored(o Order, v string) Answer {
	for i := range s.Branches {
		in, ok := covers(o, s.Branches[i], v)
		if !ok {
			return Answer{Outcome: CannotTell, Source: Authored, Branch: &s.Branches[i]}
		}
		if in {
			return Answer{Outcome: Affected, Source: Authored, Branch: &s.Branches[i]}
		}
	}
	if b, err := o.ReleaseBranch(v); err == nil && Silent(o, s.Branches, b) {
		return Answer{Outcome: CannotTell, Source: Authored} // the facts skip v's branch
	}
	return Answer{Outcome: NotAffected, Source: Authored, Branch: ownRow(o, s.Branches, v)}
}

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

// newerThanAll reports whether v comes after every release the summary
// names: a release the resolution cannot have seen.
func (s Summary) newerThanAll(o Order, v string) bool {
	known := slices.Clone(s.Versions)
	for _, b := range s.Branches {
		known = append(known, b.FirstAffected, b.LastAffected, b.FixedIn)
	}
	seen := false
	for _, k := range known {
		if k == "" {
			continue
		}
		c, ok := cmp(o, v, k)
		if !ok || c <= 0 {
			return false
		}
		seen = true
	}
	return seen
}
