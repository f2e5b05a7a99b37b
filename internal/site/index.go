package site

import (
	"html/template"
	"sort"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/product"
)

// DefaultPageSize is the number of advisories one index page lists unless
// Options.PageSize says otherwise. A database that fits on one page filters
// in the page itself (also from file://); a larger one filters with
// search-index.json. Fifty rows keep a page small enough for a phone to lay
// out and paint at once (Lighthouse's mobile profile; docs/site.md).
const DefaultPageSize = 50

// indexView is what index.html (and index-N.html) shows.
type indexView struct {
	Count      int           // advisories in the database
	Items      template.HTML // this page's advisories' items, written just before it is (withRows)
	sums       []*advSummary
	Products   []productOption
	Severities []option
	Branches   []string
	Example    string
	// Paging: Complete is true when this page lists every advisory.
	Complete    bool
	PageSize    int
	Page, Pages int
	First, Last int // 1-based positions of this page's advisories
	Prev, Next  string
	PageLinks   []pageLink
}

type pageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool // an ellipsis before this link
}

// indexPageName is index.html for page 1, index-N.html after.
func indexPageName(n int) string {
	if n <= 1 {
		return IndexPage
	}
	return "index-" + itoa(n) + ".html"
}

// pages splits the index view into its pages.
func (iv *indexView) pages(size int) []*indexView {
	n := max(1, (len(iv.sums)+size-1)/size)
	out := make([]*indexView, 0, n)
	for i := 1; i <= n; i++ {
		pv := *iv
		lo, hi := (i-1)*size, min(i*size, len(iv.sums))
		pv.sums = iv.sums[lo:hi]
		pv.Page, pv.Pages, pv.First, pv.Last, pv.Complete = i, n, lo+1, hi, n == 1
		pv.PageSize = size
		if i > 1 {
			pv.Prev = indexPageName(i - 1)
		}
		if i < n {
			pv.Next = indexPageName(i + 1)
		}
		pv.PageLinks = pageLinks(i, n)
		out = append(out, &pv)
	}
	return out
}

// pageLinks lists the first, last and nearby pages, with gaps marked.
func pageLinks(cur, n int) []pageLink {
	if n <= 1 {
		return nil
	}
	var links []pageLink
	prev := 0
	for i := 1; i <= n; i++ {
		if i != 1 && i != n && (i < cur-2 || i > cur+2) {
			continue
		}
		links = append(links, pageLink{N: i, Href: indexPageName(i), Current: i == cur, Gap: prev != 0 && i != prev+1})
		prev = i
	}
	return links
}

type productOption struct{ Name, Title string }

type option struct{ Value, Label string }

func newIndexView(views []*advSummary, cfg product.Config) *indexView {
	iv := &indexView{Count: len(views), sums: views, Example: "3.12.4"}
	for _, p := range sortedProducts(cfg) {
		iv.Products = append(iv.Products, productOption{Name: p.Name, Title: orDefault(p.Title, p.Name)})
	}
	for i := len(advisory.Severities) - 1; i >= 0; i-- {
		s := advisory.Severities[i]
		iv.Severities = append(iv.Severities, option{Value: s, Label: severityLabel(s)})
	}
	for _, v := range views {
		if v.Severity == "unknown" {
			iv.Severities = append(iv.Severities, option{Value: "unknown", Label: severityLabel("unknown")})
			break
		}
	}
	seen := map[string]bool{}
	for _, v := range views {
		for _, b := range v.fixes() {
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
		if p != nil && rule.IsSafeName(p.Name) {
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
