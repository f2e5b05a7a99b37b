package lock

import (
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
)

// Branch statuses: the status of a summary row (BranchResult.Status).
const (
	StatusFixed       = "fixed"
	StatusUnfixed     = "unfixed"
	StatusNotAffected = "not-affected"
)

// Authored branch statuses: the values of a branch entry's `status:`
// (advisory.Branch.Status).
const (
	// FactUnfixed: no fix exists on the branch.
	FactUnfixed = "unfixed"
	// FactUnreleased: the fix is committed, no release holds it yet.
	FactUnreleased = "unreleased"
	// FactNotAffected: the branch was never affected.
	FactNotAffected = "not-affected"
)

// ReleaseStatus is one status a branch can have towards an advisory.
type ReleaseStatus struct {
	// Status is the summary row's status, as the lock, the records
	// (database_specific.branches[].status), the search index, the site's
	// CSS class (status-<Status>) and search.js's STATUS table spell it.
	Status string
	// Facts are the authored `status:` values whose row has this status
	// (a fixed row is also stated by fixed_in or last_affected_in).
	Facts []string
	// Label is what the site says of a branch with this status where it
	// names no release.
	Label string
	// Affected: a row with this status can have affected releases (from
	// its first affected one); Fixed: the fix is committed on the branch.
	// search.js's STATUS table says the same of each status.
	Affected, Fixed bool
}

// statuses is the release-status table: every status, once. A new status
// is a row here, its rules in FactRow and SetFacts (and the verdict), and
// a value in the editor schema and search.js, which tests compare with it.
var statuses = []ReleaseStatus{
	{Status: StatusFixed, Facts: []string{FactUnreleased}, Label: "Fixed", Affected: true, Fixed: true},
	{Status: StatusUnfixed, Facts: []string{FactUnfixed}, Label: "Not fixed yet", Affected: true},
	{Status: StatusNotAffected, Facts: []string{FactNotAffected}, Label: "Not affected"},
}

// Statuses is the release-status table, in its order.
func Statuses() []ReleaseStatus { return slices.Clone(statuses) }

// StatusNames are the row statuses, in the table's order.
func StatusNames() []string {
	out := make([]string, 0, len(statuses))
	for _, s := range statuses {
		out = append(out, s.Status)
	}
	return out
}

// FactStatuses are the values a branch entry's `status:` may take, in the
// table's order (the editor schema's enum).
func FactStatuses() []string {
	var out []string
	for _, s := range statuses {
		out = append(out, s.Facts...)
	}
	return out
}

// ValidStatus reports whether s is a row status of the table.
func ValidStatus(s string) bool { return slices.Contains(StatusNames(), s) }

// ValidFact reports whether s is an authored status of the table.
func ValidFact(s string) bool { return slices.Contains(FactStatuses(), s) }

// StatusAffects reports whether a row with status s can have affected
// releases: the table's Affected, and true for a value outside the table
// (a record may hold anything; it is never read as "not affected").
func StatusAffects(s string) bool {
	for _, r := range statuses {
		if r.Status == s {
			return r.Affected
		}
	}
	return true
}

// StatusLabel is what the site prints for row status s; "Unknown" for a
// value outside the table (a record may hold anything).
func StatusLabel(s string) string {
	for _, r := range statuses {
		if r.Status == s {
			return r.Label
		}
	}
	return "Unknown"
}

// StatusList names the row statuses for a message: "fixed, unfixed or
// not-affected".
func StatusList() string { return wordList(StatusNames()) }

// FactList names the authored statuses for a message.
func FactList() string { return wordList(FactStatuses()) }

func wordList(ws []string) string {
	if len(ws) < 2 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

// FactRow is the summary row that branch entry b's release facts state:
// fixed_in gives a fixed row, last_affected_in a fixed row bounded by its
// last affected release, unreleased a fixed row with no release yet,
// unfixed and not-affected their own status. A first affected release
// alone (or anything else) fails closed: unfixed, from "0" when no lower
// bound is stated. SetFacts is its inverse.
func FactRow(b advisory.Branch) BranchResult {
	r := BranchResult{Branch: b.Branch, FirstAffected: b.FirstAffected, FixCommit: b.Fixed}
	switch {
	case b.Status == FactNotAffected:
		return BranchResult{Branch: b.Branch, Status: StatusNotAffected}
	case b.FixedIn != "":
		r.Status, r.FixedIn = StatusFixed, b.FixedIn
	case b.LastAffectedIn != "":
		r.Status, r.LastAffected = StatusFixed, b.LastAffectedIn
	case b.Status == FactUnreleased:
		r.Status = StatusFixed
	default: // unfixed, or a first affected release alone: fail closed
		r.Status, r.FixCommit = StatusUnfixed, ""
	}
	if r.FirstAffected == "" {
		r.FirstAffected = "0" // no lower bound stated: fail closed
	}
	return r
}

// SetFacts states row r as release facts on branch entry b, the inverse of
// FactRow: FactRow(b) equals r for every row FactRow can make.
func SetFacts(b *advisory.Branch, r BranchResult) {
	switch {
	case r.Status == StatusNotAffected:
		b.Status = FactNotAffected
		return
	case r.Status == StatusUnfixed:
		b.Status = FactUnfixed
	case r.FixedIn != "":
		b.FixedIn = r.FixedIn
	case r.LastAffected != "":
		b.LastAffectedIn = r.LastAffected
	default:
		b.Status = FactUnreleased
	}
	b.FirstAffected = r.FirstAffected
}
