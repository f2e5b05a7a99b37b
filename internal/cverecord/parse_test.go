package cverecord_test

import (
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
		{"type", `{"dataType": 5}`, "dataType must be string"},
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

// FuzzParse: no input panics Parse or the import of what it accepts.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"dataType":"CVE_RECORD","dataVersion":"5.1","cveMetadata":{"cveId":"CVE-2024-1234","state":"PUBLISHED","datePublished":"2024-01-01"},"containers":{"cna":{"descriptions":[{"lang":"en","value":"x"}],"affected":[{"product":"CPython"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := cverecord.Parse("f.json", data)
		if err != nil {
			return
		}
		cfg := productsF(t)
		_, _ = cverecord.ToAdvisory(r, "PSF-0000-x", cfg["python"])
	})
}
