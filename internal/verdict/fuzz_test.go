package verdict

import (
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/version"
)

// FuzzAffects feeds arbitrary rows (a record's database_specific is written
// by anyone) and versions to the judges: nothing panics, unknown data is
// never judged, and no input yields "not affected" unless the rows prove
// it, as an independent, slow reference says (provenUnaffected).
func FuzzAffects(f *testing.F) {
	f.Add("3.12", "fixed", "3.12.0", "", "3.12.6", "3.11", "fixed", "0", "", "3.11.10", "3.12.5", true, false)
	f.Add("main", "unfixed", "0", "23.2", "", "main", "fixed", "", "", "", "0.2", false, true)
	f.Add("3.x", "not-affected", "v3", "soon", "!", "3.12", "fixed", "3.12.0", "", "3.12.6", "1.0.post1", true, true)
	f.Add("3.12", "fixed", "3.12.0", "", "3.12.2", "3.13", "not-affected", "", "", "", "3.12.0rc1", true, false)
	f.Add("3.12", "fixed", "3.12.0", "", "3.12.6", "3.13", "fixed", "0", "", "3.13.1", "3.9.1", true, true)
	f.Fuzz(func(t *testing.T, b1, s1, first1, last1, fixed1, b2, s2, first2, last2, fixed2, v string, root, reaches bool) {
		rows := []lock.BranchResult{
			{Branch: b1, Status: s1, FirstAffected: first1, LastAffected: last1, FixedIn: fixed1},
			{Branch: b2, Status: s2, FirstAffected: first2, LastAffected: last2, FixedIn: fixed2},
		}
		for _, o := range []Order{python, pip} {
			for _, src := range []Source{Computed, Authored, Unknown} {
				s := Summary{Source: src, Branches: rows, Versions: []string{first1, last1}, FromRoot: root, Reaches: reaches}
				ans := s.Affects(o, v)
				if src == Unknown && ans.Outcome != CannotTell {
					t.Fatalf("unknown data gave %s", ans.Outcome)
				}
				if src == Authored && ans.Outcome == NotAffected {
					if why := unprovenClean(o, s, v); why != "" {
						t.Fatalf("authored rows %+v (root %v, reaches %v) call %s not affected, but %s", rows, root, reaches, v, why)
					}
				}
			}
			InEvents(o, []Event{{Introduced: "0"}, {Fixed: fixed1}, {LastAffected: last2}}, v)
		}
	})
}

// unprovenClean is the reference: it says why "not affected" is not proven
// for v by authored rows, or "" when it is not refuted. It reads the rows
// plainly: every bound must parse; no row's own range may hold v; a
// pre-release below its own branch's first affected X.Y.0 is never clean
// when the flaw predates the branch (introduced "0"); and a release of a
// branch with no row, older than every affected row, is never clean when
// introduced is "0".
func unprovenClean(o Order, s Summary, v string) string {
	vb, err := o.ReleaseBranch(v)
	if err != nil {
		return "the version does not parse"
	}
	older, own := true, false
	for _, r := range s.Branches {
		for _, b := range []string{r.FirstAffected, r.LastAffected, r.FixedIn} {
			if b == "" || (b == "0" && b == r.FirstAffected) {
				continue
			}
			if _, err := o.CompareReleases(b, v); err != nil {
				return "the bound " + b + " does not parse"
			}
		}
		if r.Status == lock.StatusNotAffected {
			if r.Branch == vb {
				own = true
			}
			continue
		}
		if r.Branch == vb {
			own = true
			if holds(o, r, v) {
				return "its own row " + r.Branch + " holds it"
			}
			if s.FromRoot && r.Branch != "main" && r.FirstAffected == r.Branch+".0" && less(o, v, r.FirstAffected) {
				return "it is a pre-release below " + r.FirstAffected + " and the flaw is older"
			}
		}
		if r.Branch == "" || r.Branch == "main" || version.CompareBranches(r.Branch, vb) <= 0 {
			older = false
		}
	}
	if !own && older && s.FromRoot && anyAffected(s.Branches) {
		return "its branch has no row, is older than every affected row and introduced is 0"
	}
	return ""
}

// holds reports whether v lies in a row's stated range, read plainly.
func holds(o Order, r lock.BranchResult, v string) bool {
	if r.FirstAffected != "0" && less(o, v, r.FirstAffected) {
		return false
	}
	switch {
	case r.FixedIn != "":
		return less(o, v, r.FixedIn)
	case r.LastAffected != "":
		return !less(o, r.LastAffected, v)
	}
	return r.Status == lock.StatusUnfixed || strings.HasPrefix(r.Status, "unfixed")
}

func less(o Order, a, b string) bool {
	c, err := o.CompareReleases(a, b)
	return err == nil && c < 0
}

func anyAffected(rows []lock.BranchResult) bool {
	for _, r := range rows {
		if r.Status != lock.StatusNotAffected && r.Branch != "" {
			return true
		}
	}
	return false
}
