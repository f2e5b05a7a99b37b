package osvimport

import (
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/product"
)

// pysecYAML is a minimal PYSEC-shaped record; the cases edit it.
const pysecYAML = `id: PYSEC-2099-1
details: pip before 2.0 does something bad.
affected:
- package:
    name: pip
    ecosystem: PyPI
    purl: pkg:pypi/pip
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: "2.0"
aliases:
- CVE-2099-1234
modified: 2099-01-02T00:00:00Z
published: 2099-01-01T00:00:00Z
`

// TestConvertPackageRefuses: YAML features that hide content and records
// the format cannot represent are refused with the place and the reason.
func TestConvertPackageRefuses(t *testing.T) {
	cfg, err := product.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, old, new, want string }{
		{"anchor", "- introduced: \"0\"", "- introduced: &a \"0\"", "anchors and aliases"},
		{"tag", "- fixed: \"2.0\"", "- fixed: !!str 2.0", "explicit YAML tag"},
		{"duplicate key", "details:", "id: PYSEC-2099-2\ndetails:", `duplicate key "id"`},
		{"second document", "published: 2099-01-01T00:00:00Z\n", "published: 2099-01-01T00:00:00Z\n---\nid: x\n", "second YAML document"},
		{"unknown field", "details:", "detail: x\ndetails:", `unknown field "detail"`},
		{"other package", "name: pip", "name: pipx", "not PyPI/pip"},
		{"other ecosystem", "ecosystem: PyPI", "ecosystem: npm", "not PyPI/pip"},
		{"semver range", "type: ECOSYSTEM", "type: SEMVER", "SEMVER range is not supported"},
		{"limit", "- fixed: \"2.0\"", "- limit: \"2.0\"", "limit events are not supported"},
		{"fixed first", "    - introduced: \"0\"\n", "", "must start with an introduced event"},
		{"per-package severity", "  ranges:", "  severity: [{type: CVSS_V3, score: x}]\n  ranges:", "carries severity"},
		{"second range on a branch", "    - fixed: \"2.0\"\n", "    - fixed: \"2.0\"\n    - introduced: \"3.0\"\n    - last_affected: \"3.5\"\n    - introduced: \"5.0\"\n    - fixed: \"5.1\"\n",
			"affected[0].ranges[0].events[3]: the affected range 3.0 <= 3.5 cannot be kept as release facts: branch main already has the range 0 < 2.0"},
		{"open second range", "    - fixed: \"2.0\"\n", "    - fixed: \"2.0\"\n    - introduced: \"3.0\"\n", "the affected range >= 3.0 cannot be kept"},
		{"not a release", "- fixed: \"2.0\"", "- fixed: \"two\"", "the affected range 0 < two cannot be kept as release facts: \"two\" is not a release of pip"},
		{"git only", "type: ECOSYSTEM", "type: GIT\n    repo: https://github.com/pypa/pip", "no ECOSYSTEM range"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(pysecYAML, tt.old) {
				t.Fatalf("test bug: %q not in the record", tt.old)
			}
			data := strings.Replace(pysecYAML, tt.old, tt.new, 1)
			v, err := decodeRecord("r.yaml", []byte(data))
			if err == nil {
				_, err = convertFor(v, cfg["pip"])
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	v, err := decodeRecord("r.yaml", []byte(pysecYAML))
	if err != nil {
		t.Fatal(err)
	}
	a, err := convertFor(v, cfg["pip"])
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "PSF-0000-pysec-2099-1" || a.Branches[0].FixedIn != "2.0" || a.Published != "2099-01-01T00:00:00Z" {
		t.Fatalf("the unedited record converts to %+v", a)
	}
}

// FuzzDecodeRecord: no YAML or JSON input panics the decoder or the
// conversion of what it accepts.
func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte(pysecYAML), true)
	f.Add([]byte(`{"id": "PSF-2024-1", "affected": [{"ranges": [{"type": "GIT", "events": [{"introduced": "0"}]}]}]}`), false)
	cfg, err := product.Load("../..")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, yaml bool) {
		name := "r.json"
		if yaml {
			name = "r.yaml"
		}
		v, err := decodeRecord(name, data)
		if err != nil {
			return
		}
		_, _ = convertFor(v, cfg["pip"])
		_, _ = convertFor(v, cfg["python"])
	})
}
