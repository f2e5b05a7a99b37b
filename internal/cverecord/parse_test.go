package cverecord_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/testenv"
)

func TestParseRefuses(t *testing.T) {
	good, err := os.ReadFile(testenv.Shared(t, "cve", "records", "CVE-2024-6232.json"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) string { return strings.Replace(string(good), old, new, 1) }
	tests := []struct{ name, data, want string }{
		{"empty", "", "invalid JSON"},
		{"syntax", "{\n  \"dataType\": \"CVE_RECORD\",\n  oops\n}", "x.json:3:3: invalid JSON"},
		{"type", `{"dataType": 5}`, "x.json:1:14: dataType must be a JSON string, not a JSON number"},
		{"array", `[{"dataType": "CVE_RECORD"}]`, "x.json:1:1: the record must be a JSON object, not a JSON array"},
		{"nested type", `{"containers": {"cna": []}}`, "containers.cna must be a JSON object, not a JSON array"},
		{"not a record", `{"id": "PSF-2024-1"}`, `dataType is ""`},
		{"version", edit(`"dataVersion": "5.1"`, `"dataVersion": "4.0"`), `dataVersion is "4.0"`},
		{"cve id", edit(`"cveId": "CVE-2024-6232"`, `"cveId": "CVE-24-1"`), "cveMetadata.cveId"},
		{"state", edit(`"state": "PUBLISHED"`, `"state": "RESERVED"`), "cveMetadata.state"},
		{"no cna", `{"dataType":"CVE_RECORD","dataVersion":"5.1","cveMetadata":{"cveId":"CVE-2024-1234","state":"PUBLISHED"},"containers":{}}`, "containers.cna is missing"},
		{"no english", edit(`"lang": "en",
                    "supportingMedia"`, `"lang": "fr",
                    "supportingMedia"`), "no English"},
		{"bad date", edit(`"datePublished": "2024-09-03T12:29:00.102Z"`, `"datePublished": "yesterday"`), "datePublished"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cverecord.Parse("x.json", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseShared(t *testing.T) {
	r, err := cverecord.ReadFile(testenv.Shared(t, "cve", "records", "CVE-2024-6232.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.CVEMetadata.CVEID != "CVE-2024-6232" || r.Containers.CNA.Title == "" {
		t.Fatalf("%+v", r.CVEMetadata)
	}
}

// FuzzParse: what Parse accepts, written back by Marshal, Parse accepts
// again and writes the same bytes (a round trip: nothing read is lost or
// changed in writing); and an import that succeeds accounts for every
// affected version range of the record: each became release facts on a
// branch or is named in a warning, never dropped silently.
//
//	go test ./internal/cverecord -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"dataType":"CVE_RECORD","dataVersion":"5.1","cveMetadata":{"cveId":"CVE-2024-1234","state":"PUBLISHED","datePublished":"2024-01-01"},"containers":{"cna":{"descriptions":[{"lang":"en","value":"x"}],"affected":[{"product":"CPython"}]}}}`))
	f.Add([]byte(`{"dataType":"CVE_RECORD","dataVersion":"5.1","cveMetadata":{"cveId":"CVE-2024-1234","state":"PUBLISHED","datePublished":"2024-01-01T00:00:00.10Z"},"containers":{"cna":{"datePublic":"2023-12-01","descriptions":[{"lang":"en","value":"x"}],"affected":[{"product":"CPython","versions":[{"version":"0","lessThan":"3.12.6","status":"affected"},{"version":"3.13.0a1","lessThanOrEqual":"3.13.0rc2","status":"affected"},{"version":"3.9","status":"unaffected"}]}],"metrics":[{"cvssV3_1":{"version":"3.1","vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L","baseScore":9.4,"baseSeverity":"CRITICAL"}},{"other":{"type":"ssvc"}}],"problemTypes":[{"descriptions":[{"lang":"en","cweId":"CWE-22","description":"CWE-22 Path Traversal"},{"lang":"en","description":"text"}]}],"impacts":[{"capecId":"CAPEC-1","descriptions":[{"lang":"en","value":"CAPEC-1 x"}]}],"references":[{"url":"https://github.com/python/cpython/commit/3612d8f51741b11f36f8fb0494d79086bac9390a","name":"[3.12] fix","tags":["patch","exploit"]},{"url":"https://example.org/","tags":["mitigation","x"]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := cverecord.Parse("f.json", data)
		if err != nil {
			return
		}
		written, err := cverecord.Marshal(r)
		if err != nil {
			t.Fatalf("Marshal of a parsed record: %v", err)
		}
		again, err := cverecord.Parse("f.json", written)
		if err != nil {
			t.Fatalf("Parse refuses what Marshal wrote of a record it accepted: %v\n%s", err, written)
		}
		if rewritten, _ := cverecord.Marshal(again); !bytes.Equal(rewritten, written) {
			t.Fatalf("the round trip changed the record:\n%s\nthen\n%s", written, rewritten)
		}
		im, err := cverecord.ToAdvisory(r, "PSF-0000-x", productsF(t)["python"])
		if err != nil {
			return
		}
		accountedRanges(t, r, im)
	})
}

// accountedRanges checks that every version range of the record's affected
// entry is release facts on a branch or named in a warning.
func accountedRanges(t *testing.T, r *cverecord.Record, im *cverecord.Imported) {
	t.Helper()
	ranges := 0
	for _, af := range r.Containers.CNA.Affected {
		ranges += len(af.Versions)
	}
	kept := 0
	for _, b := range im.Advisory.Branches {
		if b.HasFacts() {
			kept++
		}
	}
	for _, w := range im.Warnings {
		if strings.HasPrefix(w, "affected version range ") {
			kept++
		}
	}
	if kept != ranges {
		t.Fatalf("the record has %d version ranges; the advisory keeps %d as facts or warnings:\nbranches %+v\nwarnings %q", ranges, kept, im.Advisory.Branches, im.Warnings)
	}
}
