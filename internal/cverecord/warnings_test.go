package cverecord_test

import (
	"os"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/testenv"
)

// TestImportWarnsWhatItCannotHold: each fact the format has no place for
// ends up in a warning and in the notes, never dropped silently.
func TestImportWarnsWhatItCannotHold(t *testing.T) {
	good, err := os.ReadFile(testenv.Shared(t, "cve", "records", "CVE-2025-4517.json"))
	if err != nil {
		t.Fatal(err)
	}
	metric := `"metrics": [`
	ref := `"references": [`
	versions := `"versions": [`
	for _, tt := range []struct{ name, old, new, want string }{
		{"CVSS 2.0", metric, metric + `{"format": "CVSS", "cvssV2_0": {"version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:P/I:P/A:P", "baseScore": 7.5}},`, `CVSS 2.0 vector "AV:N/AC:L/Au:N/C:P/I:P/A:P" not kept`},
		{"other metric", metric, metric + `{"format": "other", "other": {"type": "ssvc", "content": {}}},`, `metric of type "ssvc" not kept`},
		{"second 3.1 vector", metric, metric + `{"format": "CVSS", "cvssV3_1": {"version": "3.1", "vectorString": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N", "baseScore": 3.3, "baseSeverity": "LOW"}},`, `second CVSS 3.1 vector "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L" not kept`},
		{"bad vector", metric, metric + `{"format": "CVSS", "cvssV4_0": {"version": "4.0", "vectorString": "CVSS:4.0/AV:N", "baseScore": 1, "baseSeverity": "LOW"}},`, `CVSS vector "CVSS:4.0/AV:N" not kept`},
		{"problem type without CWE", `"problemTypes": [`, `"problemTypes": [{"descriptions": [{"lang": "en", "type": "text", "description": "Denial of service"}]},`, `problem type "Denial of service" not kept`},
		{"reference name", ref, ref + `{"url": "https://example.org/a", "name": "Write-up by the finder"},`, `reference https://example.org/a is named "Write-up by the finder"`},
		{"unknown tag", ref, ref + `{"url": "https://example.org/b", "tags": ["x_custom"]},`, `tag "x_custom" not kept`},
		{"tags on a fix", ref, ref + `{"url": "https://github.com/python/cpython/commit/3612d8f51741b11f36f8fb0494d79086bac9390b", "tags": ["patch", "exploit"]},`, `also has the tags exploit, not kept`},
		{"unaffected range", versions, versions + `{"version": "3.11.0", "lessThan": "3.12.0", "status": "unaffected", "versionType": "python"},`, `status "unaffected"; only affected ranges become facts`},
		{"no upper bound", versions, versions + `{"version": "0", "status": "affected", "versionType": "python"},`, `it has no upper bound`},
		{"git range", versions, versions + `{"version": "0", "lessThan": "3612d8f51741b11f36f8fb0494d79086bac9390a", "status": "affected", "versionType": "git"},`, `is not a release of CPython`},
		{"unchanged record", `"datePublished": "2025-06-03T12:58:50.352Z"`, `"datePublished": "2025-06-03T12:58:50.352Z"`, ``},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(string(good), tt.old, tt.new, 1)
			if !strings.Contains(string(good), tt.old) || (data == string(good) && tt.want != "") {
				t.Fatalf("test bug: %q is not in the record", tt.old)
			}
			r, err := cverecord.Parse("r.json", []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			im, err := cverecord.ToAdvisory(r, "PSF-0000-x", products(t)["python"])
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(im.Warnings, "\n")
			if tt.want == "" {
				if strings.Contains(all, "not kept") {
					t.Fatalf("the unchanged record gives warnings:\n%s", all)
				}
				return
			}
			if !strings.Contains(all, tt.want) {
				t.Fatalf("warnings lack %q:\n%s", tt.want, all)
			}
			if !strings.Contains(im.Advisory.Notes, tt.want) {
				t.Fatalf("notes lack %q:\n%s", tt.want, im.Advisory.Notes)
			}
		})
	}
}

// TestImportRefusesSecondRange: a second affected range on one branch is
// refused, naming it: dropping it would make its releases read as not
// affected.
func TestImportRefusesSecondRange(t *testing.T) {
	good, err := os.ReadFile(testenv.Shared(t, "cve", "records", "CVE-2025-4517.json"))
	if err != nil {
		t.Fatal(err)
	}
	versions := `"versions": [`
	data := strings.Replace(string(good), versions, versions+`{"version": "3.14.0a1", "lessThan": "3.14.0a3", "status": "affected", "versionType": "python"},`, 1)
	r, err := cverecord.Parse("r.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cverecord.ToAdvisory(r, "PSF-0000-x", products(t)["python"])
	want := `lessThan "3.14.0b2" status "affected") cannot be kept as release facts: branch 3.14 already has the range 3.14.0a1 < 3.14.0a3`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want a refusal containing %q", err, want)
	}
}

// TestImportRefuses: a record the advisory cannot hold whole is refused,
// naming what (issue 20 item 12), never scaffolded with something left out
// or turned into facts that say the opposite.
func TestImportRefuses(t *testing.T) {
	good, err := os.ReadFile(testenv.Shared(t, "cve", "records", "CVE-2025-4517.json"))
	if err != nil {
		t.Fatal(err)
	}
	versions := `"versions": [`
	for _, tt := range []struct{ name, old, new, want string }{
		{"rejected", `"state": "PUBLISHED"`, `"state": "REJECTED", "dateRejected": "2025-07-01T00:00:00Z"`, "cveMetadata.state is REJECTED"},
		{"lessThan below version", versions, versions + `{"version": "3.13.5", "lessThan": "3.13.1", "status": "affected", "versionType": "python"},`, `lessThan "3.13.1" is not above version "3.13.5"`},
		{"lessThan equal to version", versions, versions + `{"version": "3.13.5", "lessThan": "v3.13.5", "status": "affected", "versionType": "python"},`, `lessThan "v3.13.5" is not above version "3.13.5"`},
		{"lessThanOrEqual below version", versions, versions + `{"version": "3.13.5", "lessThanOrEqual": "3.13.4", "status": "affected", "versionType": "python"},`, `lessThanOrEqual "3.13.4" is not above version "3.13.5"`},
		{"changes array", versions, versions + `{"version": "3.13.0", "lessThan": "3.13.6", "status": "affected", "versionType": "python", "changes": [{"at": "3.13.3", "status": "unaffected"}]},`, "versions[0] (version \"3.13.0\" lessThan \"3.13.6\" status \"affected\") has a changes array"},
		{"second product", `"affected": [`, `"affected": [{"vendor": "Python Software Foundation", "product": "pip", "versions": [{"version": "0", "lessThan": "25.1", "status": "affected", "versionType": "python"}]},`, `has 2 entries ("pip", "CPython")`},
		{"same product twice", `"affected": [`, `"affected": [{"vendor": "Python Software Foundation", "product": "CPython", "versions": [{"version": "3.9.0", "lessThan": "3.9.23", "status": "affected", "versionType": "python"}]},`, `has 2 entries ("CPython", "CPython")`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(string(good), tt.old) {
				t.Fatalf("test bug: %q is not in the record", tt.old)
			}
			r, err := cverecord.Parse("r.json", []byte(strings.Replace(string(good), tt.old, tt.new, 1)))
			if err != nil {
				t.Fatal(err)
			}
			im, err := cverecord.ToAdvisory(r, "PSF-0000-x", products(t)["python"])
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "nothing written") {
				t.Fatalf("got %v (advisory %+v), want a refusal containing %q", err, im, tt.want)
			}
		})
	}
}
