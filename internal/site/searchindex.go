package site

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/psf/advisory-builder/internal/product"
)

// searchIndex is search-index.json: what the browser needs to filter and to
// check a version, without the pages. See docs/site.md.
type searchIndex struct {
	Format     int                      `json:"format"`
	Products   map[string]*productIndex `json:"products"`
	Advisories []searchEntry            `json:"advisories"`
}

// productIndex lists every release tag any advisory of the product names,
// in version order; affected runs point into it.
type productIndex struct {
	Title string   `json:"title"`
	Tags  []string `json:"tags"`
	pos   map[string]int
}

type searchEntry struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Severity   string   `json:"severity"`
	Product    string   `json:"product"`
	Published  string   `json:"published"`
	Withdrawn  bool     `json:"withdrawn,omitempty"`
	URL        string   `json:"url"`
	Aliases    []string `json:"aliases,omitempty"`
	Components []string `json:"components,omitempty"`
	// Affected holds inclusive [from, to] runs of indexes into the product's
	// tags; null when the advisory has no resolution yet.
	Affected [][2]int `json:"affected"`
	// Branches are [branch, status, first, last, fixed_in] with the three
	// releases as indexes into the product's tags, -1 when absent.
	Branches []searchBranch `json:"branches,omitempty"`
}

// searchBranch is [branch, status, first, last, fixed_in].
type searchBranch [5]any

func renderSearchIndex(views []*advView, cfg product.Config) ([]byte, error) {
	idx := searchIndex{Format: 1, Products: map[string]*productIndex{}}
	for _, p := range sortedProducts(cfg) {
		idx.Products[p.Name] = &productIndex{Title: orDefault(p.Title, p.Name), Tags: []string{}}
	}
	for _, v := range views { // collect every tag, then order them
		pi := idx.Products[v.Product]
		if pi == nil {
			pi = &productIndex{Title: v.ProductTitle, Tags: []string{}}
			idx.Products[v.Product] = pi
		}
		if pi.pos == nil {
			pi.pos = map[string]int{}
		}
		for _, t := range entryTags(v) {
			if _, ok := pi.pos[t]; !ok && t != "" {
				pi.pos[t] = 0
				pi.Tags = append(pi.Tags, t)
			}
		}
	}
	for _, pi := range idx.Products {
		sort.Slice(pi.Tags, func(i, j int) bool { return versionLess(pi.Tags[i], pi.Tags[j]) })
		for i, t := range pi.Tags {
			pi.pos[t] = i
		}
	}
	for _, v := range views {
		idx.Advisories = append(idx.Advisories, newSearchEntry(v, idx.Products[v.Product]))
	}
	data, err := json.Marshal(idx)
	if err != nil {
		return nil, fmt.Errorf("site: encoding %s: %w", SearchIndex, err)
	}
	return append(data, '\n'), nil
}

func entryTags(v *advView) []string {
	if v.res == nil {
		return nil
	}
	tags := append([]string(nil), v.RawVersions...)
	for _, b := range v.res.Branches {
		tags = append(tags, b.FirstAffected, b.LastAffected, b.FixedIn)
	}
	return tags
}

func newSearchEntry(v *advView, pi *productIndex) searchEntry {
	e := searchEntry{
		ID: v.ID, Title: v.Title, Severity: v.Severity, Product: v.Product,
		Published: v.PublishedDate, Withdrawn: v.Withdrawn != "", URL: v.Href,
		Components: v.Components,
	}
	for _, a := range v.Aliases {
		e.Aliases = append(e.Aliases, a.ID)
	}
	if v.res == nil {
		return e
	}
	idxs := make([]int, 0, len(v.RawVersions))
	for _, t := range v.RawVersions {
		idxs = append(idxs, pi.pos[t])
	}
	e.Affected = runs(idxs)
	at := func(tag string) int {
		if i, ok := pi.pos[tag]; ok && tag != "" {
			return i
		}
		return -1
	}
	for _, b := range v.res.Branches {
		e.Branches = append(e.Branches, searchBranch{
			clip(b.Branch, 40), statusKey(b.Status), at(b.FirstAffected), at(b.LastAffected), at(b.FixedIn),
		})
	}
	return e
}

// runs turns indexes into sorted, inclusive [from, to] runs.
func runs(idxs []int) [][2]int {
	out := [][2]int{}
	sort.Ints(idxs)
	for _, i := range idxs {
		if n := len(out); n > 0 && i <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], i)
			continue
		}
		out = append(out, [2]int{i, i})
	}
	return out
}
