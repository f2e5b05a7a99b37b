package osv

import (
	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// Record is one built advisory: its source, product, version data (Summary:
// computed, authored or unknown), resolution (the computed lock entry, nil
// when there is none or it is stale), the OSV record and its exact JSON bytes as written to
// advisories/<product>/<ID>.json. Build hands the records, sorted by ID, to
// the bundle and the site.
type Record struct {
	Advisory   *advisory.Advisory
	Product    *product.Product
	Summary    verdict.Summary
	Resolution *lock.Entry
	Vuln       *Vulnerability
	JSON       []byte
}

// VersionData is the record's version data: Summary, or, for a record made
// without one (tests, tools that set only Resolution), the resolution as a
// computed summary, else unknown. FromRoot also holds when the record's
// GIT range opens at "0".
func (r *Record) VersionData() verdict.Summary {
	s := verdict.Summary{Source: verdict.Unknown}
	switch {
	case r.Summary.Source != "":
		s = r.Summary
	case r.Resolution != nil:
		s = verdict.Summary{Source: verdict.Computed, Branches: r.Resolution.Branches, Versions: r.Resolution.Versions, Entry: r.Resolution}
	}
	s.FromRoot = s.FromRoot || (r.Vuln != nil && r.Vuln.FromRoot())
	return s
}

// FromRoot reports whether the record's commit data reaches every release
// since the first: a GIT range opens at "0", or the record has no GIT range
// at all (a build leaves it out only for introduced "0" with no commit).
func (v *Vulnerability) FromRoot() bool {
	git := false
	for _, af := range v.Affected {
		for _, rg := range af.Ranges {
			if rg.Type != "GIT" {
				continue
			}
			git = true
			for _, ev := range rg.Events {
				if ev.Introduced == "0" {
					return true
				}
			}
		}
	}
	return !git
}

// EcosystemEvents are the events of the record's ECOSYSTEM ranges (a
// package product's): what OSV consumers judge a version by.
func (v *Vulnerability) EcosystemEvents() []verdict.Event {
	if v == nil {
		return nil
	}
	var out []verdict.Event
	for _, af := range v.Affected {
		for _, r := range af.Ranges {
			if r.Type != "ECOSYSTEM" {
				continue
			}
			for _, ev := range r.Events {
				out = append(out, verdict.Event{Introduced: ev.Introduced, Fixed: ev.Fixed, LastAffected: ev.LastAffected})
			}
		}
	}
	return out
}
