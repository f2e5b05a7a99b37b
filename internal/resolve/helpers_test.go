package resolve

import (
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/product"
)

// assemble is Open over the repository at dir without the cache, closed
// when the test ends.
func assemble(t testing.TB, dir string, p *product.Product) *Assembly {
	t.Helper()
	as, err := Open(dir, p, gitgraph.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { as.Graph.Close() })
	return as
}

// Released reports whether some release tag contains commit c (a commit on
// no release's history cannot make any release affected or fixed).
func (r *Resolver) Released(c uint32) bool {
	row := r.reach.tipsOf(c)
	for t := range r.tags {
		if row.has(t) {
			return true
		}
	}
	return false
}
