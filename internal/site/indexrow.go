package site

import "strings"

// indexRow is one advisory as an index page lists it. Rows exist only for
// the page being written.
type indexRow struct {
	ID, Title                string
	Severity, SeverityLabel  string
	Product, ProductTitle    string
	CVEs                     []string
	Published, PublishedDate string
	Withdrawn                string
	Components               []string
	Source                   string
	Known                    bool
	Fixes                    []fixView
	Href                     string
	BranchKeys, SearchText   string
}

// withRows returns the page with its rows filled in.
func (iv indexView) withRows() *indexView {
	iv.Advisories = make([]indexRow, 0, len(iv.sums))
	for _, s := range iv.sums {
		iv.Advisories = append(iv.Advisories, newIndexRow(s))
	}
	return &iv
}

func newIndexRow(s *advSummary) indexRow {
	r := indexRow{
		ID: s.ID, Title: s.Title, Severity: s.Severity, SeverityLabel: s.SeverityLabel,
		Product: s.Product, ProductTitle: s.ProductTitle, CVEs: s.CVEs,
		Published: s.Published, PublishedDate: s.PublishedDate, Withdrawn: s.Withdrawn,
		Components: s.Components, Source: s.Source, Known: s.Known, Fixes: s.fixes(), Href: s.href(),
	}
	keys := make([]string, 0, len(r.Fixes))
	for _, f := range r.Fixes {
		keys = append(keys, f.Branch)
	}
	r.BranchKeys = strings.Join(keys, " ")
	parts := []string{s.ID, s.Title, s.ProductTitle}
	parts = append(parts, s.aliasIDs()...)
	parts = append(parts, s.Components...)
	r.SearchText = strings.ToLower(strings.Join(parts, " "))
	return r
}
