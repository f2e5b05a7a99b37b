package osv

import (
	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
)

// Record is one built advisory: its source, product, resolution (nil when the
// lock has none), the OSV record and its exact JSON bytes as written to
// advisories/<product>/<ID>.json. Build hands the records, sorted by ID, to
// the bundle and the site.
type Record struct {
	Advisory   *advisory.Advisory
	Product    *product.Product
	Resolution *lock.Entry
	Vuln       *Vulnerability
	JSON       []byte
}
