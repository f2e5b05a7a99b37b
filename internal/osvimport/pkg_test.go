package osvimport

import (
	"bytes"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/osv"
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

// FuzzDecodeRecord: what the decoder accepts (YAML or JSON), written as
// JSON (osv.Marshal) and decoded again, writes the same bytes (a round
// trip: nothing read is lost or changed); and a conversion that succeeds
// agrees with the record it came from: its published, withdrawn and
// description are the record's, and every reference and credit of the
// record is in the advisory, in order (the import refuses rather than
// drops).
//
//	go test ./internal/osvimport -run '^$' -fuzz FuzzDecodeRecord -fuzztime 60s
func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte(pysecYAML), true)
	f.Add([]byte(`{"id": "PSF-2024-1", "affected": [{"ranges": [{"type": "GIT", "events": [{"introduced": "0"}]}]}]}`), false)
	f.Add([]byte(`{"id": "PSF-2024-1", "published": "2024-01-01T00:00:00Z", "details": "x", "references": [{"type": "FIX", "url": "https://x.test/a"}], "credits": [{"name": "A", "type": "FINDER"}], "affected": [{"ranges": [{"type": "GIT", "repo": "https://github.com/python/cpython", "events": [{"introduced": "0"}, {"fixed": "`+strings.Repeat("a", 40)+`"}]}]}]}`), false)
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
		written, err := osv.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal of a decoded record: %v", err)
		}
		again, err := decodeRecord("r.json", written)
		if err != nil {
			t.Fatalf("the decoder refuses what Marshal wrote of a record it accepted: %v\n%s", err, written)
		}
		if rewritten, _ := osv.Marshal(again); !bytes.Equal(rewritten, written) {
			t.Fatalf("the round trip changed the record:\n%s\nthen\n%s", written, rewritten)
		}
		for _, p := range []*product.Product{cfg["pip"], cfg["python"]} {
			if a, err := convertFor(v, p); err == nil {
				agrees(t, v, a)
			}
		}
	})
}

// agrees checks that a converted advisory keeps the record's facts.
func agrees(t *testing.T, v *osv.Vulnerability, a *advisory.Advisory) {
	t.Helper()
	if a.Published != v.Published || a.Withdrawn != v.Withdrawn || a.Description != v.Details {
		t.Fatalf("published, withdrawn or description changed: %q %q %q, record %q %q %q", a.Published, a.Withdrawn, a.Description, v.Published, v.Withdrawn, v.Details)
	}
	if len(a.References) != len(v.References) {
		t.Fatalf("%d references of %d kept", len(a.References), len(v.References))
	}
	for i, r := range v.References {
		if a.References[i].URL != r.URL || a.References[i].Type != r.Type {
			t.Fatalf("reference %d: %+v, record %+v", i, a.References[i], r)
		}
	}
	if len(a.Credits) != len(v.Credits) {
		t.Fatalf("%d credits of %d kept", len(a.Credits), len(v.Credits))
	}
	for i, c := range v.Credits {
		if a.Credits[i].Name != c.Name || a.Credits[i].Type != c.Type {
			t.Fatalf("credit %d: %+v, record %+v", i, a.Credits[i], c)
		}
	}
}
