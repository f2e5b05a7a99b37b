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
// computed summary, else unknown.
func (r *Record) VersionData() verdict.Summary {
	switch {
	case r.Summary.Source != "":
		return r.Summary
	case r.Resolution != nil:
		return verdict.Summary{Source: verdict.Computed, Branches: r.Resolution.Branches, Versions: r.Resolution.Versions, Entry: r.Resolution}
	}
	return verdict.Summary{Source: verdict.Unknown}
}
