package ids

import (
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/product"
)

// Lint is the whole database's lint (`advisory lint` with no path): every
// source loaded and checked against now, and the ID counter. The pipeline
// runs it before it assigns IDs or pushes anything, so what lint refuses
// never reaches main.
func Lint(root string, cfg product.Config, now time.Time) diag.List {
	as, ds := advisory.LoadAll(root, cfg)
	ds = append(ds, CheckCounter(root)...)
	ds = append(ds, lint.All(as, lint.Options{Now: now, Products: cfg})...)
	ds.Sort()
	return ds
}
