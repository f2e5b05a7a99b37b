package osv_test

import (
	"testing"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/osv/osvtest"
)

// FuzzValidate feeds arbitrary bytes to Validate and ValidateStrict: they
// never panic, and a record our schema accepts is also accepted by the
// official OSV schema and decodes into the OSV protobuf with no unknown
// field (our schema accepts a subset of what both accept).
//
//	go test ./internal/osv/ -run '^$' -fuzz FuzzValidate -fuzztime 60s
func FuzzValidate(f *testing.F) {
	for _, d := range sharedRecords(f) {
		f.Add(d)
	}
	for _, d := range goodRecords(f) {
		f.Add(d)
	}
	for _, c := range badCases {
		base := c.base
		if base == "" {
			base = baseRecord
		}
		f.Add(edited(f, base, c.edits...))
	}
	f.Add([]byte(`{"id":"PSF-2024-5","modified":"2024-06-17T15:11:36Z","aliases":["\ud800"]}`))
	official := osvtest.Official(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = osv.ValidateStrict(data)
		if osv.Validate(data) != nil {
			return
		}
		if err := official.Validate(data); err != nil {
			t.Errorf("ours accepts, the official schema refuses: %v\n%s", err, data)
		}
		if _, err := osvtest.DecodeProto(data); err != nil {
			t.Errorf("ours accepts, the OSV protobuf refuses: %v\n%s", err, data)
		}
	})
}

// editablePaths are the string fields FuzzValidateField sets to fuzzed
// values, in baseRecord (index < 100) or pipRecord (index >= 100).
var editablePaths = []string{
	"/id", "/modified", "/published", "/withdrawn", "/schema_version", "/summary",
	"/aliases/0", "/severity/0/score", "/affected/0/ranges/0/events/0/introduced",
	"/affected/0/ranges/0/events/1/fixed", "/affected/0/ranges/0/repo", "/affected/0/versions/0",
	"/references/0/url", "/references/0/type", "/credits/0/type",
}

var editablePipPaths = []string{
	"/affected/0/package/ecosystem", "/affected/0/package/purl", "/affected/0/package/name",
	"/affected/0/ranges/0/type", "/affected/0/ranges/0/events/1/fixed",
}

// FuzzValidateField sets one string field of a valid record to a fuzzed
// value (and optionally the severity type or range type too), which
// explores the value rules far faster than byte-level mutation: whatever
// our schema accepts, the official schema and the OSV protobuf accept.
//
//	go test ./internal/osv/ -run '^$' -fuzz FuzzValidateField -fuzztime 60s
func FuzzValidateField(f *testing.F) {
	f.Add(uint8(1), "2024-06-17T15:11:36Z", uint8(0))
	f.Add(uint8(7), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", uint8(1))
	f.Add(uint8(100), "Alpine:v3.20", uint8(0))
	f.Add(uint8(101), "pkg:pypi/pip", uint8(0))
	f.Add(uint8(104), "1.2.3-rc.1+x", uint8(2))
	official := osvtest.Official(f)
	f.Fuzz(func(t *testing.T, which uint8, value string, variant uint8) {
		base, paths, i := baseRecord, editablePaths, int(which)
		if i >= 100 {
			base, paths, i = pipRecord, editablePipPaths, i-100
		}
		edits := []any{paths[i%len(paths)], value}
		switch variant % 4 {
		case 1:
			if base == baseRecord {
				edits = append(edits, "/severity/0/type", []string{"CVSS_V2", "CVSS_V3", "Ubuntu"}[int(which)%3])
			}
		case 2:
			if base == pipRecord {
				edits = append(edits, "/affected/0/ranges/0/type", "SEMVER")
			}
		case 3:
			edits = append(edits, "/affected/0/ranges/0/type", "ECOSYSTEM")
		}
		data := edited(t, base, edits...)
		_ = osv.ValidateStrict(data)
		if osv.Validate(data) != nil {
			return
		}
		if err := official.Validate(data); err != nil {
			t.Errorf("ours accepts, the official schema refuses: %v\n%s", err, data)
		}
		if _, err := osvtest.DecodeProto(data); err != nil {
			t.Errorf("ours accepts, the OSV protobuf refuses: %v\n%s", err, data)
		}
	})
}
