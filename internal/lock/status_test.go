package lock

import (
	"slices"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
)

const fixCommit = "a77ab24427a18bff817025adb03ca920dc3f1a06"

// statusRows are, per status of the table, the rows that release facts can
// state: every way of stating the status, with and without a fix commit
// where the facts keep one.
var statusRows = map[string][]BranchResult{
	StatusFixed: {
		{Branch: "3.12", Status: StatusFixed, FirstAffected: "3.12.0", FixedIn: "3.12.6"},
		{Branch: "3.12", Status: StatusFixed, FirstAffected: "0", FixedIn: "3.12.6", FixCommit: fixCommit},
		{Branch: "3.13", Status: StatusFixed, FirstAffected: "3.13.0a1", LastAffected: "3.13.0rc1"},
		{Branch: "3.14", Status: StatusFixed, FirstAffected: "3.14.0a1"},                       // unreleased
		{Branch: "main", Status: StatusFixed, FirstAffected: "3.15.0a1", FixCommit: fixCommit}, // unreleased
	},
	StatusUnfixed: {
		{Branch: "3.9", Status: StatusUnfixed, FirstAffected: "0"},
		{Branch: "3.10", Status: StatusUnfixed, FirstAffected: "3.10.0"},
	},
	StatusNotAffected: {
		{Branch: "3.7", Status: StatusNotAffected},
	},
}

// TestStatusRoundTrip: for every status of the table, the row stated as
// release facts (SetFacts) gives the same row back (FactRow), and the
// facts are valid: every authored status the table lists is used by some
// row, and only those. A status added to the table without its rules in
// FactRow and SetFacts fails here.
func TestStatusRoundTrip(t *testing.T) {
	usedFacts := map[string]bool{}
	for _, s := range Statuses() {
		rows := statusRows[s.Status]
		if len(rows) == 0 {
			t.Errorf("status %q: no row in statusRows; add the rows its facts state", s.Status)
		}
		if s.Label == "" {
			t.Errorf("status %q has no label", s.Status)
		}
		for _, r := range rows {
			b := advisory.Branch{Branch: r.Branch, Fixed: r.FixCommit}
			SetFacts(&b, r)
			if !b.HasFacts() {
				t.Errorf("%+v: SetFacts states no fact", r)
			}
			if b.Status != "" {
				if !slices.Contains(s.Facts, b.Status) {
					t.Errorf("%+v: SetFacts wrote status %q, not one of the table's facts for %s %q", r, b.Status, s.Status, s.Facts)
				}
				usedFacts[b.Status] = true
			}
			if (r.FirstAffected != "") != s.Affected {
				t.Errorf("status %s (Affected %v): row %+v", s.Status, s.Affected, r)
			}
			if got := FactRow(b); got != r {
				t.Errorf("status %s: FactRow(SetFacts(%+v)) = %+v", s.Status, r, got)
			}
		}
	}
	for _, f := range FactStatuses() {
		if !usedFacts[f] {
			t.Errorf("authored status %q: no row states it", f)
		}
		b := advisory.Branch{Branch: "3.12", Status: f}
		if f != FactNotAffected {
			b.FirstAffected = "3.12.0"
		}
		var back advisory.Branch
		SetFacts(&back, FactRow(b))
		back.Branch = b.Branch
		if back != b {
			t.Errorf("status: %s: SetFacts(FactRow(%+v)) = %+v", f, b, back)
		}
	}
	for s := range statusRows {
		if !ValidStatus(s) {
			t.Errorf("statusRows holds %q, which the table lacks", s)
		}
	}
}

// TestStatusWords: the words messages use come from the table.
func TestStatusWords(t *testing.T) {
	if got := StatusList(); got != "fixed, unfixed or not-affected" {
		t.Errorf("StatusList() = %q", got)
	}
	if ValidStatus("unknown") || ValidFact("fixed") || StatusLabel("bogus") != "Unknown" || !StatusAffects("bogus") {
		t.Error("a value outside the table is accepted")
	}
}
