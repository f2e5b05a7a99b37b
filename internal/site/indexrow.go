package site

import (
	"html/template"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/psf/advisory-builder/internal/version"
)

// indexRow is one advisory as an index page lists it. Rows exist only for
// the page being written.
type indexRow struct {
	ID, Title                string
	Severity, SeverityLabel  string
	Product, ProductTitle    string
	CVEs                     []string
	Published, PublishedDate string
	Withdrawn                string
	Platforms                string // "Windows only"; "" for every platform
	Components               []string
	Source                   string
	Known                    bool
	Fixes                    []fixView
	Href                     string
	BranchKeys, SearchText   string
}

// withRows returns the page with its rows' items written, each advisory
// judged through orders.
func (iv indexView) withRows(orders judgeOrders) *indexView {
	var b strings.Builder
	b.Grow(len(iv.sums) * 900)
	for _, s := range iv.sums {
		writeIndexItem(&b, newIndexRow(s, orders))
	}
	iv.Items = template.HTML(b.String()) //nolint:gosec // every value escaped by writeIndexItem
	return &iv
}

// writeIndexItem writes one advisory's item of an index page. It was a
// template range, a dozen reflective calls and escapers per row, most of
// the index pages' cost; the values are escaped as html/template escapes
// them in the same places (escapeText in element text and quoted
// attributes, escapeURLAttr at the start of an href), so the bytes are the
// range's (TestIndexItemsAsTemplate, FuzzIndexItemsAsTemplate).
func writeIndexItem(b *strings.Builder, r indexRow) {
	b.WriteString(`<li class="adv`)
	if r.Withdrawn != "" {
		b.WriteString(` is-withdrawn`)
	}
	b.WriteString(`" data-sev="`)
	b.WriteString(escapeText(r.Severity))
	b.WriteString(`" data-product="`)
	b.WriteString(escapeText(r.Product))
	b.WriteString(`" data-branches="`)
	b.WriteString(escapeText(r.BranchKeys))
	b.WriteString(`" data-q="`)
	b.WriteString(escapeText(r.SearchText))
	b.WriteString("\">\n<div class=\"adv-meta\"><span class=\"badge sev-")
	b.WriteString(escapeText(r.Severity))
	b.WriteString(`">`)
	b.WriteString(escapeText(r.SeverityLabel))
	b.WriteString(`</span>`)
	if r.Withdrawn != "" {
		b.WriteString(` <span class="badge badge-withdrawn">Withdrawn</span>`)
	}
	if r.Platforms != "" {
		b.WriteString(` <span class="badge badge-platform">`)
		b.WriteString(escapeText(r.Platforms))
		b.WriteString(`</span>`)
	}
	b.WriteString(` <span class="adv-id">`)
	b.WriteString(escapeText(r.ID))
	b.WriteString(`</span>`)
	for _, c := range r.CVEs {
		b.WriteString(` <span class="cve">`)
		b.WriteString(escapeText(c))
		b.WriteString(`</span>`)
	}
	b.WriteString(` <span class="product">`)
	b.WriteString(escapeText(r.ProductTitle))
	b.WriteString(`</span> <time datetime="`)
	b.WriteString(escapeText(r.Published))
	b.WriteString(`">`)
	b.WriteString(escapeText(r.PublishedDate))
	b.WriteString("</time></div>\n<h3 class=\"adv-title\"><a href=\"")
	b.WriteString(escapeURLAttr(r.Href))
	b.WriteString(`">`)
	b.WriteString(escapeText(r.Title))
	b.WriteString("</a></h3>\n")
	if len(r.Components) > 0 {
		b.WriteString(`<p class="components">`)
		for _, c := range r.Components {
			b.WriteString(`<code>`)
			b.WriteString(escapeText(c))
			b.WriteString(`</code> `)
		}
		b.WriteString("</p>\n")
	}
	b.WriteString(`<p class="fixes">`)
	writeIndexFixes(b, r)
	b.WriteString("</p>\n</li>\n")
}

// writeIndexFixes writes an index item's fixes paragraph's content.
func writeIndexFixes(b *strings.Builder, r indexRow) {
	switch {
	case !r.Known:
		b.WriteString(`<span class="fixes-label">Affected versions not known yet</span>`)
	case len(r.Fixes) == 0:
		b.WriteString(`<span class="fixes-label">No affected branch</span>`)
	default:
		b.WriteString(`<span class="fixes-label">Fixed in</span>`)
		for _, f := range r.Fixes {
			b.WriteString(` <span class="fix`)
			if f.FixedIn == "" {
				b.WriteString(` unfixed`)
			}
			b.WriteString(`">`)
			if f.FixedIn != "" {
				b.WriteString(escapeText(f.FixedIn))
			} else {
				b.WriteString(escapeText(f.Branch))
				b.WriteString(`: not fixed`)
			}
			b.WriteString(`</span>`)
		}
	}
}

func newIndexRow(s *advSummary, orders judgeOrders) indexRow {
	r := indexRow{
		ID: s.ID, Title: s.Title, Severity: s.Severity, SeverityLabel: s.SeverityLabel,
		Product: s.Product, ProductTitle: s.ProductTitle, CVEs: s.CVEs,
		Published: s.Published, PublishedDate: s.PublishedDate, Withdrawn: s.Withdrawn,
		Platforms:  s.platforms,
		Components: s.Components, Source: s.Source, Known: s.Known, Fixes: s.fixes(), Href: s.href(),
	}
	r.BranchKeys = strings.Join(s.affectedBranches(orders), " ")
	parts := []string{s.ID, s.Title, s.ProductTitle}
	parts = append(parts, s.aliasIDs()...)
	parts = append(parts, s.Components...)
	r.SearchText = strings.ToLower(strings.Join(parts, " "))
	return r
}

// affectedBranches are the branches with a release the one judge calls
// affected (verdict.Summary.Judge over the product's known releases), so
// the index's branch filter and the checker agree; without a release list,
// the branches of the per-branch summary that were affected.
func (s *advSummary) affectedBranches(orders judgeOrders) []string {
	d, p := s.data(), s.own
	if len(d.Releases) == 0 || p == nil {
		var out []string
		for _, f := range s.fixes() {
			out = append(out, f.Branch)
		}
		return out
	}
	evs, o := s.events(), orders.of(s)
	var out []string
	for _, t := range d.Releases {
		b, err := o.ReleaseBranch(t)
		if err != nil || slices.Contains(out, b) {
			continue
		}
		if d.Judge(o, p.Package != nil, evs, t).Outcome == verdict.Affected {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return -version.CompareBranches(a, b) })
	return out
}
