package cverecord_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/cverecord/cvetest"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/testenv"
	"github.com/psf/advisory-builder/internal/verdict"
)

// TestLimitsMatchSchema: the limits the exporter enforces are the shared
// CVE schema's own (a clone has no copy of the schema, so they are
// constants; this keeps them honest).
func TestLimitsMatchSchema(t *testing.T) {
	data, err := os.ReadFile(testenv.Shared(t, "cve", "CVE_Record_Format_bundled.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, key string
		want      int
	}{
		{"definitions/cnaPublishedContainer/properties/title", "maxLength", cverecord.MaxTitle},
		{"definitions/description/properties/value", "maxLength", cverecord.MaxText},
		{"definitions/credits/items/properties/value", "maxLength", cverecord.MaxText},
		{"definitions/product/properties/modules/items", "maxLength", cverecord.MaxText},
		{"definitions/product/properties/programRoutines/items/properties/name", "maxLength", cverecord.MaxText},
		{"definitions/problemTypes/items/properties/descriptions/items/properties/description", "maxLength", cverecord.MaxText},
		{"definitions/uriType", "maxLength", cverecord.MaxURL},
		{"definitions/references", "maxItems", cverecord.MaxReferences},
		{"definitions/product/properties/product", "maxLength", cverecord.MaxProductName},
		{"definitions/product/properties/packageName", "maxLength", cverecord.MaxProductName},
		{"definitions/product/properties/vendor", "maxLength", cverecord.MaxVendor},
		{"definitions/version", "maxLength", cverecord.MaxVersion},
		{"definitions/product/properties/versions/items/properties/versionType", "maxLength", cverecord.MaxVersionType},
		{"definitions/problemTypes/items/properties/descriptions/items/properties/cweId", "maxLength", cverecord.MaxCWEID},
	} {
		var node any = schema
		for _, k := range strings.Split(c.path, "/") {
			m, _ := node.(map[string]any)
			node = m[k]
		}
		m, _ := node.(map[string]any)
		if got, _ := m[c.key].(float64); int(got) != c.want {
			t.Errorf("%s %s is %v in the schema, the exporter enforces %d", c.path, c.key, m[c.key], c.want)
		}
	}
}

func edgeBase() *advisory.Advisory {
	return &advisory.Advisory{
		ID: "PSF-2024-4", Path: "advisories/python/PSF-2024-4.yaml", Product: "python",
		Aliases: []string{"CVE-2024-12345"}, Published: "2024-06-17T16:00:00Z", Title: "An edge",
		Severity: "low", Description: "d", Introduced: "0",
		Branches: []advisory.Branch{{Branch: "3.12", Fixed: strings.Repeat("a", 40), FirstAffected: "3.12.0", FixedIn: "3.12.6"}},
		Pos: advisory.Positions{"description": {Line: 7, Col: 14}, "references[0].url": {Line: 20, Col: 10},
			"mitigations": {Line: 9, Col: 14}, "credits[1].name": {Line: 30, Col: 11}, "cwes[0]": {Line: 5, Col: 9}},
	}
}

func refs(n int) []advisory.Reference {
	var out []advisory.Reference
	for i := range n {
		out = append(out, advisory.Reference{Type: "WEB", URL: fmt.Sprintf("https://example.org/%d", i)})
	}
	return out
}

// TestExportLimits: over the edge inputs, `advisory cve` either writes a
// record that validates against the shared CVE schema or refuses naming the
// field (and the source position when the value has one); it never writes
// an invalid record.
func TestExportLimits(t *testing.T) {
	s := cvetest.Schema(t)
	p := products(t)["python"]
	longURL := func(n int) string { return "https://example.org/" + strings.Repeat("x", n-len("https://example.org/")) }
	cases := []struct {
		name   string
		edit   func(a *advisory.Advisory)
		refuse string // "" when the record must be written and valid
	}{
		{"description at the limit", func(a *advisory.Advisory) { a.Severity, a.Description = "", strings.Repeat("x", 4096) }, ""},
		{"description at the limit in characters, not bytes", func(a *advisory.Advisory) { a.Severity, a.Description = "", strings.Repeat("é", 4096) }, ""},
		{"description over the limit", func(a *advisory.Advisory) { a.Description = strings.Repeat("x ", 2100) },
			"PSF-2024-4.yaml:7:14: error: description: the CVE record's containers.cna.descriptions[0].value is 4"},
		{"severity sentence pushes it over", func(a *advisory.Advisory) { a.Description = strings.Repeat("x", 4090) }, "descriptions[0].value is 41"},
		{"empty description", func(a *advisory.Advisory) { a.Severity, a.Description = "", "" }, "descriptions[0].value is empty"},
		{"mitigations over the limit", func(a *advisory.Advisory) { a.Mitigations = strings.Repeat("y", 5000) },
			"PSF-2024-4.yaml:9:14: error: mitigations: the CVE record's containers.cna.workarounds[0].value is 5000 characters long, over the CVE schema's 4096"},
		{"URL at the limit", func(a *advisory.Advisory) { a.References = []advisory.Reference{{Type: "WEB", URL: longURL(2048)}} }, ""},
		{"URL over the limit", func(a *advisory.Advisory) { a.References = []advisory.Reference{{Type: "WEB", URL: longURL(2049)}} },
			"PSF-2024-4.yaml:20:10: error: references[0].url: the CVE record's containers.cna.references[0].url is 2049 characters long, over the CVE schema's 2048"},
		{"512 references with the fix commit", func(a *advisory.Advisory) { a.References = refs(511) }, ""},
		{"513 references with the fix commit", func(a *advisory.Advisory) { a.References = refs(512) }, "containers.cna.references is a list of 513, over the CVE schema's 512"},
		{"largest CWE the schema takes", func(a *advisory.Advisory) { a.CWEs = []string{"CWE-99999"} }, ""},
		{"CWE over the schema's length", func(a *advisory.Advisory) { a.CWEs = []string{"CWE-100000"} },
			"PSF-2024-4.yaml:5:9: error: cwes[0]: the CVE record's containers.cna.problemTypes[0].descriptions[0].cweId is CWE-100000, not a CWE ID"},
		{"one person, two credit types", func(a *advisory.Advisory) {
			a.Credits = []advisory.Credit{{Name: "A", Type: "FINDER"}, {Name: "A", Type: "REMEDIATION_DEVELOPER"}}
		}, ""},
		{"a credit twice", func(a *advisory.Advisory) {
			a.Credits = []advisory.Credit{{Name: "A", Type: "FINDER"}, {Name: "A", Type: "FINDER"}}
		},
			"PSF-2024-4.yaml:30:11: error: credits[1].name: the CVE record's containers.cna.credits[1] is a repeat of credits[0]"},
		{"credit over the limit", func(a *advisory.Advisory) { a.Credits = []advisory.Credit{{Name: strings.Repeat("n", 4097)}} }, "credits[0].value is 4097 characters long"},
		{"module over the limit", func(a *advisory.Advisory) { a.Components = []string{strings.Repeat("m", 4097)} }, "affected[0].modules[0] is 4097 characters long"},
		{"routine over the limit", func(a *advisory.Advisory) { a.Components = []string{"m.F" + strings.Repeat("f", 4094)} }, "affected[0].programRoutines[0].name is 4097"},
		{"one module, two routines", func(a *advisory.Advisory) { a.Components = []string{"tarfile.TarFile.extractall", "tarfile.open()"} }, ""},
		{"one branch's facts stated twice alike", func(a *advisory.Advisory) {
			a.Branches = append(a.Branches, advisory.Branch{Branch: "3.12", FirstAffected: "3.12.0", FixedIn: "3.12.6"})
		}, ""},
		{"a version over the limit", func(a *advisory.Advisory) { a.Branches[0].FixedIn = "3.12." + strings.Repeat("9", 1100) }, "versions[0].lessThan is 1105 characters long"},
		{"every CVSS 4.0 and 3.0 metric", func(a *advisory.Advisory) {
			a.CVSS = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/CR:H/IR:H/AR:H/MAV:A/MAC:H/MAT:P/MPR:L/MUI:A/MVC:L/MVI:L/MVA:L/MSC:L/MSI:S/MSA:S/S:P/AU:Y/R:A/V:C/RE:H/U:Red"
			a.CVSSV3 = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C"
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := edgeBase()
			c.edit(a)
			r, err := cverecord.FromRecord(&osv.Record{Advisory: a, Product: p, Summary: verdict.Of(a, nil),
				Vuln: &osv.Vulnerability{Modified: "2025-10-01T00:00:00Z"}})
			var le *cverecord.LimitError
			var want []cverecord.LocatedProblem
			if errors.As(err, &le) {
				want = le.Problems
			}
			if got := cverecord.AdvisoryLimits(a, p); !reflect.DeepEqual(got, want) {
				t.Errorf("AdvisoryLimits = %+v; the export refuses with %+v", got, want)
			}
			if c.refuse != "" {
				if err == nil || !strings.Contains(err.Error(), c.refuse) {
					t.Fatalf("want a refusal containing %q, got %v", c.refuse, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			data, _ := cverecord.Marshal(r)
			if err := cvetest.Validate(t, s, data); err != nil {
				t.Fatalf("the record does not validate: %v", err)
			}
		})
	}
}

// TestAdvisoryLimits: lint's view names the authored field of each value.
func TestAdvisoryLimits(t *testing.T) {
	a := edgeBase()
	a.Description = strings.Repeat("x", 5000)
	a.References = []advisory.Reference{{Type: "WEB", URL: "https://example.org/" + strings.Repeat("x", 2100)}}
	got := cverecord.AdvisoryLimits(a, products(t)["python"])
	var fields []string
	for _, p := range got {
		fields = append(fields, p.Field)
	}
	if strings.Join(fields, " ") != "description references[0].url" {
		t.Fatalf("fields %q, want description and references[0].url: %+v", fields, got)
	}
}
