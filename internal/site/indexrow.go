package site

import (
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
		Platforms:  s.platforms,
		Components: s.Components, Source: s.Source, Known: s.Known, Fixes: s.fixes(), Href: s.href(),
	}
	r.BranchKeys = strings.Join(s.affectedBranches(), " ")
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
func (s *advSummary) affectedBranches() []string {
	d, p := s.data(), s.own
	if len(d.Releases) == 0 || p == nil {
		var out []string
		for _, f := range s.fixes() {
			out = append(out, f.Branch)
		}
		return out
	}
	evs := s.events()
	var out []string
	for _, t := range d.Releases {
		b, err := s.order.ReleaseBranch(t)
		if err != nil || slices.Contains(out, b) {
			continue
		}
		if d.Judge(s.order, p.Package != nil, evs, t).Outcome == verdict.Affected {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return -version.CompareBranches(a, b) })
	return out
}
