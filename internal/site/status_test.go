package site

import (
	"regexp"
	"slices"
	"testing"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/site"
)

// TestAppStatuses: the site knows every status of the release-status
// table (lock.Statuses): the page's CSS class and label, and app.js's
// STATUS table, which says what a branch row of the search index means to
// the checker and the list. A status added to the table and not to app.js
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
	js, err := site.FS.ReadFile("assets/app.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)\bvar STATUS = \{(.*?)\n  \};`).FindSubmatch(js)
	if block == nil {
		t.Fatal("app.js: no `var STATUS = { ... };` table")
	}
	var keys []string
	for _, m := range regexp.MustCompile(`(?m)^\s*'([^']+)': \{`).FindAllSubmatch(block[1], -1) {
		keys = append(keys, string(m[1]))
	}
	if want := lock.StatusNames(); !slices.Equal(keys, want) {
		t.Errorf("app.js STATUS has %q, the release-status table %q (same order)", keys, want)
	}
}
