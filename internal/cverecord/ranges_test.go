package cverecord_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/verdict"
)

// TestRanges: one range per affected branch, oldest first; main without a
// first affected release (fixed before its first release) is left out; an
// unfixed branch ends lessThanOrEqual its last affected release.
func TestRanges(t *testing.T) {
	res := &lock.Entry{Branches: []lock.BranchResult{
		{Branch: "main", Status: "fixed", FixedIn: "v3.12.0a1"},
		{Branch: "3.11", Status: "unfixed", FirstAffected: "v3.11.0a1", LastAffected: "v3.11.1"},
		{Branch: "3.10", Status: "fixed", FirstAffected: "v3.10.0a1", LastAffected: "v3.10.1", FixedIn: "v3.10.2"},
		{Branch: "3.9", Status: "fixed", FirstAffected: "v3.9.0", LastAffected: "v3.9.0", FixedIn: "v3.9.1"},
		{Branch: "2.5", Status: "fixed", FirstAffected: "v2.5", LastAffected: "v2.5c1", FixedIn: "v2.5.1"},
		{Branch: "3.13", Status: "not-affected"},
	}}
	for _, tt := range []struct{ introduced, want string }{
		{"0", "0<2.5.1 3.9.0<3.9.1 3.10.0a1<3.10.2 3.11.0a1<=3.11.1"},
		{strings.Repeat("a", 40), "2.5<2.5.1 3.9.0<3.9.1 3.10.0a1<3.10.2 3.11.0a1<=3.11.1"},
	} {
		var got []string
		for _, v := range cverecord.Ranges(&advisory.Advisory{Introduced: tt.introduced}, verdict.Summary{Source: verdict.Computed, Branches: res.Branches}) {
			if v.Status != "affected" || v.VersionType != "python" {
				t.Errorf("range %+v", v)
			}
			if v.LessThan != "" {
				got = append(got, fmt.Sprintf("%s<%s", v.Version, v.LessThan))
			} else {
				got = append(got, fmt.Sprintf("%s<=%s", v.Version, v.LessThanOrEqual))
			}
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("introduced %s: ranges %v, want %s", tt.introduced, got, tt.want)
		}
	}
}

// TestAuthoredRanges: authored facts carry over as written (CVE-2024-4030's
// shape: the 3.13 range starts at 3.13.0a1 although introduced is "0");
// open branches run to the end of their series.
func TestAuthoredRanges(t *testing.T) {
	a := &advisory.Advisory{Introduced: "0", Branches: []advisory.Branch{
		{Branch: "3.13", FirstAffected: "3.13.0a1", FixedIn: "3.13.0b1"},
		{Branch: "3.12", FirstAffected: "0", FixedIn: "3.12.4"},
		{Branch: "3.11", FirstAffected: "3.11.0", LastAffectedIn: "3.11.9"},
		{Branch: "3.10", FirstAffected: "3.10.0", Status: lock.FactUnfixed},
		{Branch: "main", FirstAffected: "3.14.0a1", Status: lock.FactUnreleased},
		{Branch: "3.9", Status: lock.FactNotAffected},
	}}
	var got []string
	for _, v := range cverecord.Ranges(a, verdict.Of(a, nil)) {
		got = append(got, fmt.Sprintf("%s<%s<=%s", v.Version, v.LessThan, v.LessThanOrEqual))
	}
	want := "3.10.0<3.10.*<= 3.11.0<<=3.11.9 0<3.12.4<= 3.13.0a1<3.13.0b1<= 3.14.0a1<*<="
	if strings.Join(got, " ") != want {
		t.Errorf("ranges %s\nwant   %s", strings.Join(got, " "), want)
	}
}
