package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/psf/advisory-builder/internal/product"
)

// search-index.json is what the browser needs to filter and to check a
// version, without the pages (see docs/site.md):
//
//	{"format":1,"products":{<name>:productIndex,...},"advisories":[searchEntry,...]}
//
// It is written entry by entry, so no more than one entry is held at a time.

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

// writeSearchIndex writes search-index.json for views (newest first) to w.
func writeSearchIndex(w io.Writer, views []*advSummary, cfg product.Config) error {
	products := searchProducts(views, cfg)
	head, err := json.Marshal(products)
	if err != nil {
		return fmt.Errorf("encoding products: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"format":1,"products":`)
	buf.Write(head)
	buf.WriteString(`,"advisories":`)
	if len(views) == 0 {
		buf.WriteString("null")
	}
	enc := json.NewEncoder(&buf)
	for i, v := range views {
		sep := byte(',')
		if i == 0 {
			sep = '['
		}
		buf.WriteByte(sep)
		if err := enc.Encode(newSearchEntry(v, products[v.Product])); err != nil {
			return fmt.Errorf("encoding %s: %w", v.ID, err)
		}
		buf.Truncate(buf.Len() - 1) // Encode ends each value with a newline
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
		buf.Reset()
	}
	if len(views) > 0 {
		buf.WriteByte(']')
	}
	buf.WriteString("}\n")
	_, err = w.Write(buf.Bytes())
	return err
}

// searchProducts collects, per product, every release tag the advisories
// name, in version order.
func searchProducts(views []*advSummary, cfg product.Config) map[string]*productIndex {
	products := map[string]*productIndex{}
	for _, p := range sortedProducts(cfg) {
		products[p.Name] = &productIndex{Title: orDefault(p.Title, p.Name), Tags: []string{}, pos: map[string]int{}}
	}
	for _, v := range views {
		pi := products[v.Product]
		if pi == nil {
			pi = &productIndex{Title: v.ProductTitle, Tags: []string{}, pos: map[string]int{}}
			products[v.Product] = pi
		}
		pi.addTags(v.rawVersions())
		if !v.Resolved {
			continue
		}
		for _, b := range v.resolution().Branches {
			pi.addTags([]string{b.FirstAffected, b.LastAffected, b.FixedIn})
		}
	}
	for _, pi := range products {
		sort.Slice(pi.Tags, func(i, j int) bool { return versionLess(pi.Tags[i], pi.Tags[j]) })
		for i, t := range pi.Tags {
			pi.pos[t] = i
		}
	}
	return products
}

func (pi *productIndex) addTags(tags []string) {
	for _, t := range tags {
		if _, ok := pi.pos[t]; !ok && t != "" {
			pi.pos[t] = 0
			pi.Tags = append(pi.Tags, t)
		}
	}
}

func newSearchEntry(v *advSummary, pi *productIndex) searchEntry {
	e := searchEntry{
		ID: v.ID, Title: v.Title, Severity: v.Severity, Product: v.Product,
		Published: v.PublishedDate, Withdrawn: v.Withdrawn != "", URL: v.href(),
		Components: v.Components, Aliases: v.aliasIDs(),
	}
	if !v.Resolved {
		return e
	}
	raw := v.rawVersions()
	idxs := make([]int, 0, len(raw))
	for _, t := range raw {
		idxs = append(idxs, pi.pos[t])
	}
	e.Affected = runs(idxs)
	at := func(tag string) int {
		if i, ok := pi.pos[tag]; ok && tag != "" {
			return i
		}
		return -1
	}
	for _, b := range v.resolution().Branches {
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
