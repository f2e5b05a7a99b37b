package site

import (
	"regexp"
	"slices"
	"testing"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/site"
)

// TestAppStatuses: the site knows every status of the release-status
// table (lock.Statuses): the page's CSS class and label, and search.js's
// STATUS table, which says what a branch row of the search index means to
// the checker and the list. A status added to the table and not to search.js
// fails here.
func TestAppStatuses(t *testing.T) {
	for _, s := range lock.Statuses() {
		if got := statusKey(s.Status); got != s.Status {
			t.Errorf("statusKey(%q) = %q", s.Status, got)
		}
		if got := statusLabel(s.Status); got == "" || got == statusLabel("no such status") {
			t.Errorf("statusLabel(%q) = %q, want the table's label", s.Status, got)
		}
	}
	js, err := site.FS.ReadFile("assets/search.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)\bvar STATUS = \{(.*?)\n  \};`).FindSubmatch(js)
	if block == nil {
		t.Fatal("search.js: no `var STATUS = { ... };` table")
	}
	var got []lock.ReleaseStatus
	entry := regexp.MustCompile(`(?m)^\s*'([^']+)': \{ affected: (true|false), fixed: (true|false) \},?$`)
	for _, m := range entry.FindAllSubmatch(block[1], -1) {
		got = append(got, lock.ReleaseStatus{Status: string(m[1]), Affected: string(m[2]) == "true", Fixed: string(m[3]) == "true"})
	}
	var want []lock.ReleaseStatus
	for _, s := range lock.Statuses() {
		want = append(want, lock.ReleaseStatus{Status: s.Status, Affected: s.Affected, Fixed: s.Fixed})
	}
	if !slices.EqualFunc(got, want, func(x, y lock.ReleaseStatus) bool {
		return x.Status == y.Status && x.Affected == y.Affected && x.Fixed == y.Fixed
	}) {
		t.Errorf("search.js STATUS has %+v; the release-status table %+v (same order, same meaning)", got, want)
	}
}
