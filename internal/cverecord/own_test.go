package cverecord_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/cverecord/cvetest"
	"github.com/psf/advisory-builder/internal/testenv"
)

// TestOwnAdvisoriesKeepCVE is the acceptance on the repository's
// own database: `advisory cve` of each own advisory whose CVE record is in
// the shared data (PSF-2024-9 for CVE-2024-7592 among them) keeps the
// record's references with their tags, its CWEs with their names and its
// CVSS vectors, and validates. Its ranges are the advisory's, one per
// branch as the release changelogs prove them: a CVE record's single range
// ("0" < 3.13.0rc2) spanning branches whose backports fixed them is the
// error this project does not publish again.
func TestOwnAdvisoriesKeepCVE(t *testing.T) {
	recs, _, err := build.Records("../..", time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	s := cvetest.Schema(t)
	checked := 0
	for _, rec := range recs {
		id, err := rec.Advisory.CVE()
		if err != nil {
			continue
		}
		path := filepath.Join(testenv.Shared(t, "cve", "records"), id+".json") // records the shared data has; others are skipped below
		if _, err := os.Stat(path); err != nil {
			continue
		}
		orig, err := cverecord.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := cverecord.FromRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := cverecord.Marshal(got)
		if err := cvetest.Validate(t, s, data); err != nil {
			t.Errorf("the record of %s is invalid: %v", rec.Advisory.ID, err)
		}
		want, have := facts(orig), facts(got)
		// The database writes openwall's links as https where the records
		// kept plain http: the one deliberate difference in the references.
		for i, v := range want["references"] {
			want["references"][i] = strings.Replace(v, "http://www.openwall.com/", "https://www.openwall.com/", 1)
		}
		for _, b := range have["bounds"] {
			if n := strings.Count(strings.Join(have["bounds"], "\n"), boundBranch(b)); boundBranch(b) != "" && n > 1 {
				t.Errorf("`advisory cve %s` has %d ranges ending on branch %s: %q", rec.Advisory.ID, n, boundBranch(b), have["bounds"])
			}
		}
		for _, k := range []string{"references", "cwes", "metrics"} {
			for _, v := range want[k] {
				if !slices.Contains(have[k], v) {
					t.Errorf("%s's %s %q is not in `advisory cve %s`: %q", id, k, v, rec.Advisory.ID, have[k])
				}
			}
		}
		checked++
	}
	if checked < 7 {
		t.Fatalf("checked %d own advisories against their CVE records, want the 7 (PSF-2024-9 among them)", checked)
	}
}

// boundBranch is the " <X.Y." prefix of a bound's upper end in the facts
// helper's spelling ("3.12.0a1 <3.12.8 <= affected python" gives " <3.12."),
// or "" when it has none.
func boundBranch(bound string) string {
	_, rest, ok := strings.Cut(bound, " <")
	if !ok {
		return ""
	}
	parts := strings.SplitN(rest, ".", 3)
	if len(parts) < 3 {
		return ""
	}
	return " <" + parts[0] + "." + parts[1] + "."
}
