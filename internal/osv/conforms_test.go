package osv_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/osv"
)

// conformsHolds is the property Conforms promises: a record it vouches for
// is one ValidateStrict accepts once encoded.
func conformsHolds(t *testing.T, name string, v *osv.Vulnerability) bool {
	t.Helper()
	if !osv.Conforms(v) {
		return false
	}
	data, err := osv.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := osv.ValidateStrict(data); err != nil {
		t.Errorf("%s: Conforms vouches for an invalid record: %v\n%s", name, err, data)
	}
	return true
}

func decodeRecord(t testing.TB, data []byte) *osv.Vulnerability {
	t.Helper()
	var v osv.Vulnerability
	if err := json.Unmarshal(data, &v); err != nil {
		return nil
	}
	return &v
}

// conformingRecord is baseRecord in the shape Convert makes (no open
// object inside affected), which Conforms vouches for.
func conformingRecord(t testing.TB) *osv.Vulnerability {
	v := decodeRecord(t, edited(t, baseRecord, "/affected/0/database_specific", del))
	if v == nil {
		t.Fatal("baseRecord does not decode")
	}
	return v
}

// TestConformsImpliesValid runs every record the validator tests know
// (good, refused, strictly refused, the shared real records) through
// Conforms: whatever it vouches for, ValidateStrict accepts; and it vouches
// for the records shaped as a build makes them.
func TestConformsImpliesValid(t *testing.T) {
	corpus := map[string][]byte{}
	for name, data := range goodRecords(t) {
		corpus["good "+name] = data
	}
	for _, c := range append(append([]badCase{}, badCases...), strictCases...) {
		corpus["bad "+c.name] = edited(t, baseOf(c), c.edits...)
	}
	for name, data := range sharedRecords(t) {
		corpus["shared "+name] = data
	}
	vouched := map[string]bool{}
	for name, data := range corpus {
		v := decodeRecord(t, data)
		if v == nil {
			continue
		}
		if conformsHolds(t, name, v) {
			vouched[name] = true
		}
		for i := range v.Affected { // the shape a build makes: no open object in affected
			v.Affected[i].DatabaseSpecific = nil
		}
		if conformsHolds(t, name+" (built)", v) {
			vouched[name+" (built)"] = true
		}
	}
	for _, name := range []string{"good pip", "good minimal", "good cpython (built)", "good placeholder id (built)",
		"good cvss3 (built)", "good cvss3 reorder (built)", "good cvss4 full (built)", "good all credit types (built)",
		"good nanosecond stamps (built)", "good withdrawn (built)", "good last_affected (built)"} {
		if !vouched[name] {
			t.Errorf("%s: Conforms does not vouch for it, so a build would validate it the slow way", name)
		}
	}
	if v := conformingRecord(t); !conformsHolds(t, "cpython", v) {
		t.Error("cpython: Conforms does not vouch for a record shaped as a build makes it")
	}
}

// TestConformsRefuses lists typed records Conforms must not vouch for:
// each is invalid, outside the shape Convert makes, or would change when
// encoded (invalid UTF-8 is written as U+FFFD, so two different aliases
// could become one).
func TestConformsRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(v *osv.Vulnerability)
	}{
		{"nil", nil},
		{"id with a space", func(v *osv.Vulnerability) { v.ID = "PSF-2024 5" }},
		{"unknown id prefix", func(v *osv.Vulnerability) { v.ID = "NOPE-1" }},
		{"no modified", func(v *osv.Vulnerability) { v.Modified = "" }},
		{"30 February", func(v *osv.Vulnerability) { v.Modified = "2024-02-30T00:00:00Z" }},
		{"offset", func(v *osv.Vulnerability) { v.Published = "2024-06-17T15:05:58+02:00" }},
		{"year 0", func(v *osv.Vulnerability) { v.Published = "0000-06-17T15:05:58Z" }},
		{"modified before published", func(v *osv.Vulnerability) { v.Modified = "2020-01-01T00:00:00Z" }},
		{"schema version", func(v *osv.Vulnerability) { v.SchemaVersion = "1.7.4" }},
		{"related", func(v *osv.Vulnerability) { v.Related = []string{"CVE-2024-1"} }},
		{"alias with a space", func(v *osv.Vulnerability) { v.Aliases = []string{"CVE 2024"} }},
		{"aliases equal once encoded", func(v *osv.Vulnerability) { v.Aliases = []string{"CVE-\xff", "CVE-\xfe"} }},
		{"own id as alias", func(v *osv.Vulnerability) { v.Aliases = []string{v.ID} }},
		{"two-line summary", func(v *osv.Vulnerability) { v.Summary = "a\nb" }},
		{"invalid UTF-8 details", func(v *osv.Vulnerability) { v.Details = "a\xffb" }},
		{"CVSS 2", func(v *osv.Vulnerability) {
			v.Severity = []osv.Severity{{Type: "CVSS_V2", Score: "AV:N/AC:L/Au:N/C:P/I:P/A:P"}}
		}},
		{"CVSS 3 without AV", func(v *osv.Vulnerability) {
			v.Severity = []osv.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}
		}},
		{"CVSS 4 as 3", func(v *osv.Vulnerability) { v.Severity[0].Type = "CVSS_V3" }},
		{"affected severity", func(v *osv.Vulnerability) { v.Affected[0].Severity = v.Severity }},
		{"affected database_specific", func(v *osv.Vulnerability) { v.Affected[0].DatabaseSpecific = map[string]any{} }},
		{"nothing affected", func(v *osv.Vulnerability) { v.Affected[0].Ranges, v.Affected[0].Versions = nil, nil }},
		{"empty version", func(v *osv.Vulnerability) { v.Affected[0].Versions = []string{""} }},
		{"ECOSYSTEM without package", func(v *osv.Vulnerability) { v.Affected[0].Ranges[0].Type = "ECOSYSTEM" }},
		{"SEMVER", func(v *osv.Vulnerability) {
			v.Affected[0].Package = &osv.Package{Ecosystem: "PyPI", Name: "pip"}
			v.Affected[0].Ranges[0].Type = "SEMVER"
		}},
		{"no repo", func(v *osv.Vulnerability) { v.Affected[0].Ranges[0].Repo = "" }},
		{"repo with a space", func(v *osv.Vulnerability) { v.Affected[0].Ranges[0].Repo = "https://x y" }},
		{"short fix commit", func(v *osv.Vulnerability) { v.Affected[0].Ranges[0].Events[1].Fixed = "22adf29da8d9" }},
		{"upper-case commit", func(v *osv.Vulnerability) {
			v.Affected[0].Ranges[0].Events[1].Fixed = strings.ToUpper(v.Affected[0].Ranges[0].Events[1].Fixed)
		}},
		{"event with two keys", func(v *osv.Vulnerability) { v.Affected[0].Ranges[0].Events[1].Introduced = "0" }},
		{"empty event", func(v *osv.Vulnerability) { v.Affected[0].Ranges[0].Events[1] = osv.Event{} }},
		{"no introduced", func(v *osv.Vulnerability) { v.Affected[0].Ranges[0].Events = v.Affected[0].Ranges[0].Events[1:] }},
		{"fixed and last_affected", func(v *osv.Vulnerability) {
			v.Affected[0].Ranges[0].Events[2] = osv.Event{LastAffected: v.Affected[0].Ranges[0].Events[2].Fixed}
		}},
		{"fixed twice", func(v *osv.Vulnerability) { v.Affected[0].Ranges[0].Events[2] = v.Affected[0].Ranges[0].Events[1] }},
		{"unknown ecosystem", func(v *osv.Vulnerability) { v.Affected[0].Package = &osv.Package{Ecosystem: "PyPi", Name: "pip"} }},
		{"Ubuntu without release", func(v *osv.Vulnerability) {
			v.Affected[0].Package = &osv.Package{Ecosystem: "Ubuntu", Name: "pip"}
		}},
		{"Alpine", func(v *osv.Vulnerability) {
			v.Affected[0].Package = &osv.Package{Ecosystem: "Alpine:3.20", Name: "pip"}
		}},
		{"no package name", func(v *osv.Vulnerability) { v.Affected[0].Package = &osv.Package{Ecosystem: "PyPI"} }},
		{"purl with a version", func(v *osv.Vulnerability) {
			v.Affected[0].Package = &osv.Package{Ecosystem: "PyPI", Name: "pip", PURL: "pkg:pypi/pip@1.0"}
		}},
		{"unknown reference type", func(v *osv.Vulnerability) { v.References[0].Type = "Fix" }},
		{"relative URL", func(v *osv.Vulnerability) { v.References[0].URL = "/issues/1" }},
		{"bad port", func(v *osv.Vulnerability) { v.References[0].URL = "https://example.org:port/" }},
		{"IPv6 host", func(v *osv.Vulnerability) { v.References[0].URL = "https://[::1]/" }},
		{"credit without a name", func(v *osv.Vulnerability) { v.Credits[0].Name = "" }},
		{"unknown credit type", func(v *osv.Vulnerability) { v.Credits[0].Type = "HERO" }},
		{"foreign database_specific key", func(v *osv.Vulnerability) {
			v.DatabaseSpecific = &osv.DatabaseSpecific{Other: map[string]json.RawMessage{"x": json.RawMessage(`1`)}}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var v *osv.Vulnerability
			if c.edit != nil {
				v = conformingRecord(t)
				c.edit(v)
			}
			if osv.Conforms(v) {
				t.Errorf("Conforms vouches for it")
			}
		})
	}
}

// FuzzConforms sets one field of a typed record Conforms vouches for to a
// fuzzed string (any bytes, invalid UTF-8 included, which JSON cannot
// carry): whatever Conforms then vouches for, ValidateStrict accepts.
//
//	go test ./internal/osv/ -run '^$' -fuzz FuzzConforms -fuzztime 60s
func FuzzConforms(f *testing.F) {
	f.Add(uint8(0), "PSF-2024-6")
	f.Add(uint8(1), "2024-06-17T15:11:36.1Z")
	f.Add(uint8(4), "CVE-2024-1")
	f.Add(uint8(6), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
	f.Add(uint8(7), "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
	f.Add(uint8(9), "0")
	f.Add(uint8(12), "https://example.org/a")
	f.Add(uint8(15), "PyPI")
	f.Add(uint8(16), "pkg:pypi/pip")
	setters := []func(v *osv.Vulnerability, s string){
		func(v *osv.Vulnerability, s string) { v.ID = s },
		func(v *osv.Vulnerability, s string) { v.Modified = s },
		func(v *osv.Vulnerability, s string) { v.Published = s },
		func(v *osv.Vulnerability, s string) { v.Withdrawn = s },
		func(v *osv.Vulnerability, s string) { v.Aliases = append(v.Aliases, s) },
		func(v *osv.Vulnerability, s string) { v.Summary = s },
		func(v *osv.Vulnerability, s string) { v.Severity = []osv.Severity{{Type: "CVSS_V3", Score: s}} },
		func(v *osv.Vulnerability, s string) { v.Severity[0].Score = s },
		func(v *osv.Vulnerability, s string) { v.Severity[0].Type = s },
		func(v *osv.Vulnerability, s string) { v.Affected[0].Ranges[0].Events[0].Introduced = s },
		func(v *osv.Vulnerability, s string) { v.Affected[0].Ranges[0].Events[1].Fixed = s },
		func(v *osv.Vulnerability, s string) { v.Affected[0].Ranges[0].Repo = s },
		func(v *osv.Vulnerability, s string) { v.References[0].URL = s },
		func(v *osv.Vulnerability, s string) { v.References[0].Type = s },
		func(v *osv.Vulnerability, s string) { v.Credits[0].Type = s },
		func(v *osv.Vulnerability, s string) {
			v.Affected[0].Package = &osv.Package{Ecosystem: s, Name: "pip"}
			v.Affected[0].Ranges[0].Type = "ECOSYSTEM"
			v.Affected[0].Ranges[0].Repo = ""
		},
		func(v *osv.Vulnerability, s string) {
			v.Affected[0].Package = &osv.Package{Ecosystem: "PyPI", Name: "pip", PURL: s}
		},
		func(v *osv.Vulnerability, s string) { v.Affected[0].Versions[0] = s },
		func(v *osv.Vulnerability, s string) { v.Credits[0].Name = s },
		func(v *osv.Vulnerability, s string) { v.Affected[0].Ranges[0].Type = s },
	}
	f.Fuzz(func(t *testing.T, which uint8, value string) {
		v := conformingRecord(t)
		setters[int(which)%len(setters)](v, value)
		conformsHolds(t, "fuzzed", v)
	})
}
