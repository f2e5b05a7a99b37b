package site

import (
	"sort"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/product"
)

// indexView is what index.html shows.
type indexView struct {
	Count      int
	Advisories []*advView
	Products   []productOption
	Severities []option
	Branches   []string
	Example    string
}

type productOption struct{ Name, Title string }

type option struct{ Value, Label string }

func newIndexView(views []*advView, cfg product.Config) *indexView {
	iv := &indexView{Count: len(views), Advisories: views, Example: "3.12.4"}
	for _, p := range sortedProducts(cfg) {
		iv.Products = append(iv.Products, productOption{Name: p.Name, Title: orDefault(p.Title, p.Name)})
	}
	for i := len(advisory.Severities) - 1; i >= 0; i-- {
		s := advisory.Severities[i]
		iv.Severities = append(iv.Severities, option{Value: s, Label: severityLabel(s)})
	}
	seen := map[string]bool{}
	for _, v := range views {
		for _, b := range v.Fixes {
			if !seen[b.Branch] {
				seen[b.Branch] = true
				iv.Branches = append(iv.Branches, b.Branch)
			}
		}
	}
	sort.Slice(iv.Branches, func(i, j int) bool { return branchLess(iv.Branches[j], iv.Branches[i]) })
	return iv
}

// sortedProducts lists products with python first, then by name.
func sortedProducts(cfg product.Config) []*product.Product {
	var ps []*product.Product
	for _, p := range cfg {
		if p != nil && safeName.MatchString(p.Name) {
			ps = append(ps, p)
		}
	}
	sort.Slice(ps, func(i, j int) bool {
		if (ps[i].Name == "python") != (ps[j].Name == "python") {
			return ps[i].Name == "python"
		}
		return ps[i].Name < ps[j].Name
	})
	return ps
}
