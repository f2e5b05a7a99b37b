package osvimport

import (
	"fmt"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/product"
)

// taken refuses converted records whose aliases another advisory of the
// database (or another converted record) already lists: pip's PYSEC-2023-228
// is CVE-2023-5752, which the database may already hold under its own ID.
// A source that replaces the file of the same ID does not collide with it.
func taken(root string, cfg product.Config, srcs []source) []string {
	existing, _ := advisory.LoadAll(root, cfg)
	owner := map[string]string{} // alias or ID -> advisory ID holding it
	for _, e := range existing {
		for _, al := range append([]string{e.ID}, e.Aliases...) {
			owner[al] = e.ID
		}
	}
	var errs []string
	for _, s := range srcs {
		for _, al := range s.a.Aliases {
			if o, ok := owner[al]; ok && o != s.a.ID {
				errs = append(errs, fmt.Sprintf("%s: %s is already %s's; add %s's other aliases to %s instead of importing it", s.path, al, o, s.a.ID, o))
			}
		}
		for _, al := range s.a.Aliases {
			if _, ok := owner[al]; !ok {
				owner[al] = s.a.ID
			}
		}
	}
	return errs
}
