package build

import (
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/osv/osvtest"
)

// TestRecordsConform checks every record built from the fixture and from
// the repository's own database against the official OSV 1.7.5 schema and
// the OSV protobuf (no unknown field, as osv-scanner reads it).
func TestRecordsConform(t *testing.T) {
	fixture := t.TempDir()
	unpackFixture(t, fixture, nil)
	var all []*osv.Record
	// The repository's own database is dated by its real history, which a
	// fixed clock would call "in the future" on a fresh clone: it builds at
	// the wall clock (only the records' shape is checked here).
	for root, clock := range map[string]time.Time{fixture: now, "../..": time.Now()} {
		recs, _, err := Records(root, clock)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 {
			t.Fatalf("%s: no records", root)
		}
		all = append(all, recs...)
	}
	for _, r := range all { // the protobuf needs no shared data: first, as the official schema may skip
		osvtest.CheckProto(t, r.Vuln.ID, r.JSON)
	}
	for _, r := range all {
		osvtest.CheckAgainstOfficial(t, r.Vuln.ID, r.JSON)
	}
}
