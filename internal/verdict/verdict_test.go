package verdict

import (
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
)

var python = &product.Product{Name: "python", Title: "CPython", Branches: map[string]string{"main": "feature", "3.12": "security"}}

var pip = &product.Product{Name: "pip", Title: "pip", Package: &product.Package{Ecosystem: "PyPI", Name: "pip"}, Branches: map[string]string{"main": "feature"}}

func fact(branch, first, fixedIn string) advisory.Branch {
	return advisory.Branch{Branch: branch, FirstAffected: first, FixedIn: fixedIn}
}

// cve20247592 carries the per-branch bounds of CVE-2024-7592's record.
func cve20247592() *advisory.Advisory {
	return &advisory.Advisory{ID: "PSF-2024-9", Introduced: "0", Branches: []advisory.Branch{
		{Branch: "main", Fixed: "44e458357fca05ca0ae2658d62c8c595b048b5ef"},
		fact("3.8", "0", "3.8.20"), fact("3.9", "3.9.0", "3.9.20"), fact("3.10", "3.10.0", "3.10.15"),
		fact("3.11", "3.11.0", "3.11.10"), fact("3.12", "3.12.0", "3.12.6"), fact("3.13", "3.13.0a1", "3.13.0rc2"),
	}}
}

func TestAuthoredFromCVERecord(t *testing.T) {
	s := Of(cve20247592(), nil)
	if s.Source != Authored || len(s.Branches) != 6 || s.Branches[0].Branch != "3.13" || s.Branches[5].Branch != "3.8" {
		t.Fatalf("summary = %+v", s)
	}
	for v, want := range map[string]Outcome{
		"3.12.5": Affected, "3.12.6": NotAffected, "3.11.10": NotAffected, "3.13.0rc2": NotAffected,
		"3.14.0": NotAffected, "3.11.9": Affected, "3.13.0rc1": Affected, "3.8.19": Affected, "3.7.3": Affected,
		"2.7.18": Affected, "3.12.0": Affected, "3.13.0": NotAffected,
	} {
		ans := s.Affects(python, v)
		if ans.Outcome != want || ans.Source != Authored {
			t.Errorf("Affects(%s) = %s from %s, want %s", v, ans.Outcome, ans.Source, want)
		}
	}
	if ans := s.Affects(python, "3.12.5"); ans.Branch == nil || ans.Branch.FixedIn != "3.12.6" {
		t.Errorf("3.12.5: the deciding row is %+v, want 3.12's", ans.Branch)
	}
}

func TestSource(t *testing.T) {
	a := cve20247592()
	current := &lock.Entry{InputDigest: lock.InputDigest(a), Versions: []string{"v3.12.5"}}
	stale := &lock.Entry{InputDigest: "old", Versions: []string{"v3.12.5"}}
	bare := &advisory.Advisory{ID: "PSF-2024-1", Introduced: "0", Branches: []advisory.Branch{{Branch: "main", Fixed: "aa"}}}
	tests := []struct {
		name string
		a    *advisory.Advisory
		e    *lock.Entry
		want Source
	}{
		{"current lock entry", a, current, Computed},
		{"stale entry, facts", a, stale, Authored},
		{"no entry, facts", a, nil, Authored},
		{"no entry, no facts", bare, nil, Unknown},
		{"stale entry, no facts", bare, stale, Unknown},
	}
	for _, tt := range tests {
		s := Of(tt.a, tt.e)
		if s.Source != tt.want {
			t.Errorf("%s: source %s, want %s", tt.name, s.Source, tt.want)
		}
		if got := s.Affects(python, "3.12.5"); (got.Outcome == CannotTell) != (tt.want == Unknown) || got.Source != tt.want {
			t.Errorf("%s: Affects = %+v", tt.name, got)
		}
	}
}

func TestFactsDoNotStaleTheLock(t *testing.T) {
	a := cve20247592()
	b := cve20247592()
	b.Branches = b.Branches[:1]
	if lock.InputDigest(a) != lock.InputDigest(b) {
		t.Error("entries holding only facts changed the input digest")
	}
	b.Branches[0].FixedIn = "3.14.0a1"
	if lock.InputDigest(a) != lock.InputDigest(b) {
		t.Error("facts beside a commit changed the input digest")
	}
}

func TestAuthoredStatuses(t *testing.T) {
	a := &advisory.Advisory{Branches: []advisory.Branch{
		{Branch: "3.14", FirstAffected: "3.14.0a1", Status: lock.FactUnreleased},
		{Branch: "3.13", FirstAffected: "3.13.0a1", LastAffectedIn: "3.13.0rc1"},
		{Branch: "3.12", Status: lock.FactNotAffected},
		{Branch: "3.10", FirstAffected: "3.10.0", Status: lock.FactUnfixed},
	}}
	s := Of(a, nil)
	tests := map[string]Outcome{
		"3.14.0": Affected, "3.14.9": Affected, "3.15.0": CannotTell, // unreleased: to the end of 3.14; 3.15 unstated
		"3.13.0rc1": Affected, "3.13.0rc2": NotAffected, "3.13.0a1": Affected,
		"3.12.4": NotAffected, "3.11.0": CannotTell, // 3.11 lies between affected 3.10 and 3.13, unstated
		"3.10.0": Affected, "3.10.99": Affected, "3.9.0": NotAffected,
	}
	for v, want := range tests {
		if got := s.Affects(python, v).Outcome; got != want {
			t.Errorf("Affects(%s) = %s, want %s", v, got, want)
		}
	}
	main := Of(&advisory.Advisory{Branches: []advisory.Branch{{Branch: "main", FirstAffected: "20.0", Status: lock.FactUnfixed}}}, nil)
	for v, want := range map[string]Outcome{"19.3": NotAffected, "20.0": Affected, "99.1": Affected} {
		if got := main.Affects(pip, v).Outcome; got != want {
			t.Errorf("pip main unfixed: Affects(%s) = %s, want %s", v, got, want)
		}
	}
}

// TestUnparseableFailsClosed: facts that do not parse (a record written by
// anyone) never give "not affected".
func TestUnparseableFailsClosed(t *testing.T) {
	s := Summary{Source: Authored, Branches: []lock.BranchResult{{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "3.12.0", FixedIn: "soon"}}}
	if got := s.Affects(python, "3.12.9").Outcome; got != CannotTell {
		t.Errorf("unparseable bound: %s, want %s", got, CannotTell)
	}
}

func TestComputed(t *testing.T) {
	s := Summary{Source: Computed, Versions: []string{"v3.11.0", "v3.11.1", "v3.12.0"}, Branches: []lock.BranchResult{
		{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.0", FixedIn: "v3.12.2"},
		{Branch: "3.11", Status: lock.StatusUnfixed, FirstAffected: "v3.11.0", LastAffected: "v3.11.1"},
	}}
	var got []string
	for _, v := range []string{"3.12.0", "3.12.1", "3.12.2", "3.11.1", "3.11.7", "3.10.0", "3.13.0"} {
		got = append(got, v+"="+string(s.Affects(python, v).Outcome))
	}
	want := "3.12.0=affected 3.12.1=affected 3.12.2=not-affected 3.11.1=affected 3.11.7=affected 3.10.0=not-affected 3.13.0=not-affected"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

// TestPEP440: pip releases with no git tag (0.2, 0.6.3) and post releases
// are judged by PEP 440 order.
func TestPEP440(t *testing.T) {
	s := Of(&advisory.Advisory{Branches: []advisory.Branch{fact("main", "0", "23.3")}}, nil)
	for v, want := range map[string]Outcome{"0.2": Affected, "0.6.3": Affected, "23.2.1": Affected, "23.3": NotAffected, "23.3.post1": NotAffected, "23.3rc1": Affected, "24.0": NotAffected} {
		if got := s.Affects(pip, v).Outcome; got != want {
			t.Errorf("pip Affects(%s) = %s, want %s", v, got, want)
		}
	}
}

// TestInEvents: OSV ECOSYSTEM ranges by PEP 440 order, including releases
// that have no git tag, one range per branch, and last_affected.
func TestInEvents(t *testing.T) {
	evs := []Event{{Introduced: "0"}, {Fixed: "1.5.6"}, {Introduced: "20.0"}, {Fixed: "20.0.2"}, {Introduced: "23.0"}, {LastAffected: "23.2.1"}}
	for v, want := range map[string]bool{
		"0.2": true, "0.6.3": true, "1.5.6": false, "19.3": false, "20.0": true, "20.0.1": true,
		"20.0.2": false, "23.0": true, "23.2.1": true, "23.3": false, "22.0": false,
	} {
		got, ok := InEvents(pip, evs, v)
		if !ok || got != want {
			t.Errorf("InEvents(%s) = %v, %v; want %v", v, got, ok, want)
		}
	}
	if _, ok := InEvents(pip, []Event{{Introduced: "0"}, {Fixed: "not a version"}}, "1.0"); ok {
		t.Error("an unparseable event gave an answer")
	}
	if in, ok := InEvents(pip, nil, "1.0"); in || !ok {
		t.Error("no events: want not affected")
	}
}

// TestComputedNewSeries: a release of a series the lock never saw, cut from
// a main that is still unfixed, is affected (never "not affected" by
// omission); one older than the lock's releases is judged by the tags.
func TestComputedNewSeries(t *testing.T) {
	s := Summary{Source: Computed, Versions: []string{"v3.12.0", "v3.13.0a1"}, Branches: []lock.BranchResult{
		{Branch: "main", Status: lock.StatusUnfixed},
		{Branch: "3.12", Status: lock.StatusUnfixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.0"},
	}}
	for v, want := range map[string]Outcome{"3.14.0": Affected, "3.13.0a2": Affected, "3.11.4": NotAffected, "3.12.3": Affected} {
		if got := s.Affects(python, v).Outcome; got != want {
			t.Errorf("Affects(%s) = %s, want %s", v, got, want)
		}
	}
}

// TestSilentBranches: authored facts that skip a branch they reach never
// answer "not affected" for it. Facts for 3.12 alone (fixed in the final
// 3.12.6): 3.13 may have been cut before main's fix, so 3.13.0 cannot be
// told; a branch between two affected rows cannot be told either. A
// branch newer than a row fixed in a pre-release (3.13.0rc2) was cut from
// a fixed main and is not affected.
func TestSilentBranches(t *testing.T) {
	one := Of(&advisory.Advisory{Introduced: "0", Branches: []advisory.Branch{
		{Branch: "3.12", FirstAffected: "3.12.0", FixedIn: "3.12.6"}}}, nil)
	gap := Of(&advisory.Advisory{Branches: []advisory.Branch{
		{Branch: "3.10", FirstAffected: "3.10.0", FixedIn: "3.10.15"},
		{Branch: "3.12", FirstAffected: "3.12.0", FixedIn: "3.12.6"},
		{Branch: "3.13", FirstAffected: "3.13.0a1", FixedIn: "3.13.0rc2"}}}, nil)
	for _, tt := range []struct {
		s    Summary
		v    string
		want Outcome
	}{
		{one, "3.13.0", CannotTell}, {one, "3.14.1", CannotTell}, {one, "3.12.5", Affected}, {one, "3.12.6", NotAffected},
		{gap, "3.11.2", CannotTell}, {gap, "3.14.0", NotAffected}, {gap, "3.13.0rc2", NotAffected}, {gap, "3.9.1", NotAffected},
	} {
		if got := tt.s.Affects(python, tt.v).Outcome; got != tt.want {
			t.Errorf("Affects(%s) = %s, want %s (rows %+v)", tt.v, got, tt.want, tt.s.Branches)
		}
	}
}

// TestRootSilent: with introduced "0", authored facts for 3.12 alone never
// answer "not affected" for a release of an older stable branch (bugfix or
// security: the branches lint warns about) that no row speaks for; an
// end-of-life or unlisted branch, an introducing commit, a row of the
// branch, a row from "0" on a newer branch, and computed data keep their
// answers.
func TestRootSilent(t *testing.T) {
	py := &product.Product{Name: "python", Branches: map[string]string{
		"main": "feature", "3.13": "bugfix", "3.12": "security", "3.11": "security", "3.10": "bugfix", "3.9": "end-of-life"}}
	only312 := []advisory.Branch{fact("3.12", "3.12.0", "3.12.6")}
	of := func(introduced string, bs ...advisory.Branch) Summary {
		return Of(&advisory.Advisory{Introduced: introduced, Branches: bs}, nil)
	}
	root, commit := of("0", only312...), of("1111111111111111111111111111111111111111", only312...)
	own := of("0", fact("3.12", "3.12.0", "3.12.6"), advisory.Branch{Branch: "3.11", Status: lock.FactNotAffected})
	fromZero := of("0", fact("3.12", "0", "3.12.6"))
	computed := Summary{Source: Computed, FromRoot: true, Versions: []string{"v3.12.5"}, Branches: []lock.BranchResult{
		{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.5", FixedIn: "v3.12.6"}}}
	for _, tt := range []struct {
		name string
		s    Summary
		v    string
		want Outcome
	}{
		{"security branch older than every row", root, "3.11.2", CannotTell},
		{"bugfix branch older than every row", root, "3.10.4", CannotTell},
		{"end-of-life branch", root, "3.9.1", CannotTell},
		{"branch not configured", root, "3.8.19", CannotTell},
		{"the stated branch", root, "3.12.6", NotAffected},
		{"the stated branch, affected", root, "3.12.5", Affected},
		{"introducing commit", commit, "3.11.2", NotAffected},
		{"a row for the branch", own, "3.11.2", NotAffected},
		{"a newer row from 0 holds it", fromZero, "3.11.2", Affected},
		{"computed data", computed, "3.11.2", NotAffected},
	} {
		if got := tt.s.Affects(py, tt.v).Outcome; got != tt.want {
			t.Errorf("%s: Affects(%s) = %s, want %s", tt.name, tt.v, got, tt.want)
		}
	}
	if !root.FromRoot || commit.FromRoot {
		t.Errorf("FromRoot: introduced 0 gives %v, a commit gives %v", root.FromRoot, commit.FromRoot)
	}
}

// TestFactSpeaksForItsBranch: a CVE-style single range copied into the
// newest branch's facts ("0" < 3.13.0rc2) answers for older branches only
// when the facts account for every fix commit; with backports the facts
// do not place, an older branch cannot be told.
func TestFactSpeaksForItsBranch(t *testing.T) {
	h := func(c byte) string { return strings.Repeat(string(c), 40) }
	row := fact("3.13", "0", "3.13.0rc2")
	backports := Of(&advisory.Advisory{Introduced: "0", Branches: []advisory.Branch{
		{Branch: "main", Fixed: h('a')}, {Fixed: h('b')}, {Fixed: h('c')}, row}}, nil)
	single := Of(&advisory.Advisory{Introduced: "0", Branches: []advisory.Branch{{Branch: "main", Fixed: h('a')}, row}}, nil)
	stated := Of(&advisory.Advisory{Introduced: "0", Branches: []advisory.Branch{
		{Branch: "main", Fixed: h('a')}, {Fixed: h('b')}, {Fixed: h('c')}, row,
		fact("3.12", "0", "3.12.6"), fact("3.11", "0", "3.11.10")}}, nil)
	for _, tt := range []struct {
		name string
		s    Summary
		v    string
		want Outcome
	}{
		{"unplaced backports, older branch", backports, "3.12.6", CannotTell},
		{"unplaced backports, older branch before the fix", backports, "3.12.5", CannotTell},
		{"unplaced backports, own branch", backports, "3.13.0rc1", Affected},
		{"unplaced backports, own branch fixed", backports, "3.13.0", NotAffected},
		{"a single fix on main", single, "3.12.6", Affected},
		{"every branch stated, fixed", stated, "3.12.6", NotAffected},
		{"every branch stated, before the fix", stated, "3.11.9", Affected},
		{"every branch stated, older branch from 0", stated, "3.10.2", Affected},
	} {
		if got := tt.s.Affects(python, tt.v).Outcome; got != tt.want {
			t.Errorf("%s: Affects(%s) = %s, want %s", tt.name, tt.v, got, tt.want)
		}
	}
	if backports.Reaches || !single.Reaches || !stated.Reaches {
		t.Errorf("Reaches: backports %v, single %v, stated %v", backports.Reaches, single.Reaches, stated.Reaches)
	}
}

// TestPrereleasesBelowFirstFinal: a first affected X.Y.0 says nothing about
// the branch's pre-releases; when the flaw predates the branch they are
// affected, otherwise nobody can tell. A stated pre-release bound decides.
func TestPrereleasesBelowFirstFinal(t *testing.T) {
	root := Of(&advisory.Advisory{Introduced: "0", Branches: []advisory.Branch{fact("3.12", "3.12.0", "3.12.2")}}, nil)
	commit := Of(&advisory.Advisory{Introduced: strings.Repeat("1", 40), Branches: []advisory.Branch{fact("3.12", "3.12.0", "3.12.2")}}, nil)
	precise := Of(&advisory.Advisory{Introduced: strings.Repeat("1", 40), Branches: []advisory.Branch{fact("3.12", "3.12.0b2", "3.12.2")}}, nil)
	for _, tt := range []struct {
		name string
		s    Summary
		v    string
		want Outcome
	}{
		{"introduced 0", root, "3.12.0rc1", Affected},
		{"introduced 0, alpha", root, "3.12.0a1", Affected},
		{"introducing commit", commit, "3.12.0rc1", CannotTell},
		{"stated pre-release bound, below", precise, "3.12.0b1", NotAffected},
		{"stated pre-release bound, above", precise, "3.12.0rc1", Affected},
	} {
		if got := tt.s.Affects(python, tt.v).Outcome; got != tt.want {
			t.Errorf("%s: Affects(%s) = %s, want %s", tt.name, tt.v, got, tt.want)
		}
	}
}

// TestComputedFailsClosed: a lock entry unfixed on main with no affected
// release yet cannot tell a later release from a seen one, unless the
// resolution saw every known release.
func TestComputedFailsClosed(t *testing.T) {
	s := Summary{Source: Computed, Branches: []lock.BranchResult{{Branch: "main", Status: lock.StatusUnfixed}}}
	for _, v := range []string{"3.13.0a2", "3.14.0"} {
		if got := s.Affects(python, v).Outcome; got != CannotTell {
			t.Errorf("Affects(%s) = %s, want %s", v, got, CannotTell)
		}
	}
	s.SawAll = true
	if got := s.Affects(python, "3.14.0").Outcome; got != NotAffected {
		t.Errorf("SawAll: Affects(3.14.0) = %s, want %s", got, NotAffected)
	}
	bad := Summary{Source: Computed, Versions: []string{"v3.12.4"}, Branches: []lock.BranchResult{
		{Branch: "3.13", Status: lock.StatusFixed, FirstAffected: "garbage", FixedIn: "v3.13.1"}}}
	if got := bad.Affects(python, "3.12.5").Outcome; got != CannotTell {
		t.Errorf("unparseable row of another branch: %s, want %s", got, CannotTell)
	}
}
