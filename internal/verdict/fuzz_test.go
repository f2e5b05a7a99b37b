package verdict

import (
	"testing"

	"github.com/psf/advisory-builder/internal/lock"
)

// FuzzAffects feeds arbitrary rows (a record's database_specific is written
// by anyone) and versions to both judges: nothing panics, and an answer
// from rows that do not parse is never "not affected" unless another row
// decided first.
func FuzzAffects(f *testing.F) {
	f.Add("3.12", "fixed", "3.12.0", "", "3.12.6", "3.12.5", "introduced")
	f.Add("main", "unfixed", "0", "23.2", "", "0.2", "fixed")
	f.Add("3.x", "not-affected", "v3", "soon", "!", "1.0.post1", "last_affected")
	f.Fuzz(func(t *testing.T, branch, status, first, last, fixedIn, v, kind string) {
		rows := []lock.BranchResult{{Branch: branch, Status: status, FirstAffected: first, LastAffected: last, FixedIn: fixedIn}}
		for _, o := range []Order{python, pip} {
			for _, src := range []Source{Computed, Authored, Unknown} {
				s := Summary{Source: src, Branches: rows, Versions: []string{first, last}}
				ans := s.Affects(o, v)
				if src == Unknown && ans.Outcome != CannotTell {
					t.Fatalf("unknown data gave %s", ans.Outcome)
				}
			}
			ev := Event{Introduced: first}
			switch kind {
			case "fixed":
				ev = Event{Fixed: fixedIn}
			case "last_affected":
				ev = Event{LastAffected: last}
			}
			InEvents(o, []Event{{Introduced: "0"}, ev, {Fixed: fixedIn}}, v)
		}
	})
}
