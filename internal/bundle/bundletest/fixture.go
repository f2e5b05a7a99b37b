// Package bundletest builds OSV records shaped like the ones `advisory build`
// writes (a CPython record with one GIT range and its affected tags, a pip
// record with a PyPI package and an ECOSYSTEM range), for the bundle,
// conformance and publish tests and the benchmarks.
package bundletest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// CPythonRepo is the repository of every CPython GIT range.
const CPythonRepo = "https://github.com/python/cpython"

// Python and Pip are the two products, as products.yaml describes them.
var (
	Python = &product.Product{Name: "python", Title: "CPython", Repo: CPythonRepo}
	Pip    = &product.Product{
		Name: "pip", Title: "pip", Repo: "https://github.com/pypa/pip",
		Package: &product.Package{Ecosystem: "PyPI", Name: "pip", PURL: "pkg:pypi/pip"},
	}
)

// Spec says what a generated record holds.
type Spec struct {
	ID        string
	Modified  string // RFC 3339; default 2024-06-01T00:00:00Z
	Published string // RFC 3339; default 2024-05-01T00:00:00Z
	Withdrawn string
	Aliases   []string
	Summary   string
	Versions  []string // affected tags (CPython) or versions (pip)
	Fixed     []string // fix commits (CPython) or fixed versions (pip)
	// VersionsSource is database_specific.versions_source (computed,
	// authored, unknown); none when empty.
	VersionsSource string
}

func (s Spec) withDefaults() Spec {
	if s.Modified == "" {
		s.Modified = "2024-06-01T00:00:00Z"
	}
	if s.Published == "" {
		s.Published = "2024-05-01T00:00:00Z"
	}
	if s.Summary == "" {
		s.Summary = "Generated advisory " + s.ID
	}
	return s
}

// CPython builds a CPython record: no package, one GIT range on the CPython
// repository (introduced 0, then every fix commit), the affected tags in
// `versions` and a per-branch summary in database_specific.
func CPython(s Spec) *osv.Record {
	s = s.withDefaults()
	if s.Versions == nil {
		s.Versions = []string{"v3.12.0", "v3.12.1", "v3.12.2", "v3.12.3", "v3.13.0rc1"}
	}
	if s.Fixed == nil {
		s.Fixed = []string{"1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"}
	}
	events := []osv.Event{{Introduced: "0"}}
	for _, f := range s.Fixed {
		events = append(events, osv.Event{Fixed: f})
	}
	v := base(s)
	v.Affected = []osv.Affected{{
		Ranges:   []osv.Range{{Type: "GIT", Repo: CPythonRepo, Events: events}},
		Versions: s.Versions,
		DatabaseSpecific: map[string]any{"branches": []any{
			map[string]any{"branch": "3.12", "first_affected": "v3.12.0", "last_affected": "v3.12.3", "fixed": "v3.12.4"},
		}},
	}}
	return record(Python, v)
}

// PipRecord builds a pip record: package PyPI/pip, an ECOSYSTEM range
// (introduced 0, fixed at each fixed version) and the affected versions.
func PipRecord(s Spec) *osv.Record {
	s = s.withDefaults()
	if s.Versions == nil {
		s.Versions = []string{"23.0", "23.1", "23.2"}
	}
	if s.Fixed == nil {
		s.Fixed = []string{"23.3"}
	}
	events := []osv.Event{{Introduced: "0"}}
	for _, f := range s.Fixed {
		events = append(events, osv.Event{Fixed: f})
	}
	v := base(s)
	v.Affected = []osv.Affected{{
		Package:  &osv.Package{Ecosystem: "PyPI", Name: "pip", PURL: "pkg:pypi/pip"},
		Ranges:   []osv.Range{{Type: "ECOSYSTEM", Events: events}},
		Versions: s.Versions,
	}}
	return record(Pip, v)
}

func base(s Spec) *osv.Vulnerability {
	ds := &osv.DatabaseSpecific{Severity: "medium"}
	setString(&ds.VersionsSource, s.VersionsSource)
	return &osv.Vulnerability{
		SchemaVersion: osv.SchemaVersion,
		ID:            s.ID,
		Modified:      s.Modified,
		Published:     s.Published,
		Withdrawn:     s.Withdrawn,
		Aliases:       s.Aliases,
		Summary:       s.Summary,
		Details:       "A generated advisory used by the tests.\n\nUpgrade to a fixed release.",
		Severity:      []osv.Severity{{Type: "CVSS_V4", Score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N"}},
		References: []osv.Reference{
			{Type: "ADVISORY", URL: "https://mail.python.org/archives/list/security-announce@python.org/thread/" + s.ID + "/"},
			{Type: "FIX", URL: "https://github.com/python/cpython/pull/123075"},
		},
		Credits:          []osv.Credit{{Name: "Jane Finder", Type: "FINDER"}},
		DatabaseSpecific: ds,
	}
}

// setString sets a string-typed field (verdict.Source) from a plain string.
func setString[T ~string](dst *T, s string) { *dst = T(s) }

func record(p *product.Product, v *osv.Vulnerability) *osv.Record {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err) // the types hold only strings, slices and maps of them
	}
	return &osv.Record{Product: p, Vuln: v, JSON: append(b, '\n')}
}

// Generate returns n records, every third one for pip and the rest for
// CPython, with IDs PSF-<year>-<k> and distinct, deterministic times.
func Generate(n int) []*osv.Record {
	recs := make([]*osv.Record, 0, n)
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		year := 2020 + i%7
		s := Spec{
			ID:        fmt.Sprintf("PSF-%d-%d", year, i+1),
			Published: t0.Add(time.Duration(i) * time.Hour).Format(time.RFC3339),
			Modified:  t0.Add(time.Duration(i)*time.Hour + time.Duration(i%5)*time.Minute + 123*time.Millisecond).Format(time.RFC3339Nano),
			Aliases:   []string{fmt.Sprintf("CVE-%d-%d", year, 50000+i)},
		}
		if i%3 == 2 {
			recs = append(recs, PipRecord(s))
		} else {
			recs = append(recs, CPython(s))
		}
	}
	return recs
}
