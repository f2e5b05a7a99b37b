package product_test

import (
	"fmt"
	"testing"

	"github.com/psf/advisory-builder/internal/lock"
	. "github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// orderCases are products and releases of both schemes, spelled every way.
func orderCases() (map[string]*Product, []string) {
	products := map[string]*Product{
		"python": {Name: "python", Repo: "https://github.com/python/cpython"},
		"pip": {Name: "pip", Repo: "https://github.com/pypa/pip", Package: &Package{Ecosystem: "PyPI", Name: "pip"},
			Branches: map[string]string{"main": StatusBugfix, "23.3": StatusSecurity}},
	}
	releases := []string{"v3.12.6", "3.12.6", "v2.7", "v2.5c1", "v3.13.0rc1", "23.3", "23.3.1", "10.0.0b1", "1.0-1", "0.2", "", "x", "v3"}
	return products, releases
}

// TestOrderAgrees: an Order answers every comparison and branch as its
// product does, from the cache too.
func TestOrderAgrees(t *testing.T) {
	products, releases := orderCases()
	for name, p := range products {
		o := p.Order()
		for range 2 {
			for _, a := range releases {
				wb, werr := p.ReleaseBranch(a)
				gb, gerr := o.ReleaseBranch(a)
				if wb != gb || (werr == nil) != (gerr == nil) {
					t.Errorf("%s: ReleaseBranch(%q) = %q, %v; the product says %q, %v", name, a, gb, gerr, wb, werr)
				}
				for _, b := range releases {
					w, werr := p.CompareReleases(a, b)
					g, gerr := o.CompareReleases(a, b)
					if w != g || (werr == nil) != (gerr == nil) {
						t.Errorf("%s: CompareReleases(%q, %q) = %d, %v; the product says %d, %v", name, a, b, g, gerr, w, werr)
					}
				}
			}
		}
	}
}

// BenchmarkJudgeReleases judges one computed advisory for each of 400
// CPython releases, as the site's search index does for every advisory:
// through the product (every comparison parses both releases) and through
// an Order (each release parsed once), in the same run.
func BenchmarkJudgeReleases(b *testing.B) {
	p := &Product{Name: "python", Repo: "https://github.com/python/cpython"}
	var tags []string
	for minor := 0; minor < 16; minor++ {
		for patch := range 25 {
			tags = append(tags, fmt.Sprintf("v3.%d.%d", minor, patch))
		}
	}
	s := verdict.Summary{Source: verdict.Computed, Versions: tags[200:260], Branches: []lock.BranchResult{
		{Branch: "3.8", Status: lock.StatusFixed, FirstAffected: "v3.8.0", LastAffected: "v3.8.9", FixedIn: "v3.8.10"},
		{Branch: "3.9", Status: lock.StatusFixed, FirstAffected: "v3.9.0", LastAffected: "v3.9.9", FixedIn: "v3.9.10"},
	}}
	for _, bc := range []struct {
		name  string
		order func() verdict.Order
	}{{"product", func() verdict.Order { return p }}, {"order", func() verdict.Order { return p.Order() }}} {
		b.Run(bc.name, func(b *testing.B) {
			o := bc.order() // one per build, shared by every advisory
			for b.Loop() {
				for _, t := range tags {
					s.Judge(o, false, nil, t)
				}
			}
		})
	}
}
