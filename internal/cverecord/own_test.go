package cverecord_test

import (
	"slices"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/cverecord/cvetest"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/testenv"
)

// TestOwnAdvisoryKeepsCVE is the acceptance on the repository's own
// database: `advisory cve PSF-2024-9` keeps CVE-2024-7592's references (with
// their tags), its CWE and every per-branch range, and validates.
func TestOwnAdvisoryKeepsCVE(t *testing.T) {
	orig, err := cverecord.ReadFile(testenv.Shared(t, "cve", "records", "CVE-2024-7592.json"))
	if err != nil {
		t.Fatal(err)
	}
	recs, _, err := build.Records("../..", time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(recs, func(r *osv.Record) bool { return r.Advisory.ID == "PSF-2024-9" })
	if i < 0 {
		t.Fatal("the database has no PSF-2024-9")
	}
	got, err := cverecord.FromRecord(recs[i])
	if err != nil {
		t.Fatal(err)
	}
	data, _ := cverecord.Marshal(got)
	if err := cvetest.Validate(t, cvetest.Schema(t), data); err != nil {
		t.Fatalf("the record of PSF-2024-9 is invalid: %v", err)
	}
	want, have := facts(orig), facts(got)
	for _, k := range []string{"references", "cwes", "bounds"} {
		for _, v := range want[k] {
			if !slices.Contains(have[k], v) {
				t.Errorf("CVE-2024-7592's %s %q is not in `advisory cve PSF-2024-9`: %q", k, v, have[k])
			}
		}
	}
}
