// Package osvimport converts published OSV records (the psf/advisory-database
// layout, advisories/<product>/PSF-*.json) into advisory sources.
package osvimport

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// Convert maps one OSV record onto an advisory. It refuses what the source
// format cannot hold rather than dropping it.
func Convert(v *osv.Vulnerability) (*advisory.Advisory, error) {
	if err := supported(v); err != nil {
		return nil, err
	}
	a := &advisory.Advisory{
		ID:          v.ID,
		Aliases:     v.Aliases,
		Published:   v.Published,
		Modified:    modifiedFloor(v),
		Withdrawn:   v.Withdrawn,
		Title:       strings.TrimSpace(v.Summary),
		Description: v.Details,
	}
	if a.Title == "" {
		a.Title = DeriveTitle(v.Details)
	}
	if sev := advisory.SeverityIn(v.Details); sev != "" {
		a.Severity = sev
	}
	for _, s := range v.Severity {
		a.CVSS = s.Score
	}
	if err := ranges(a, v.Affected); err != nil {
		return nil, err
	}
	for _, r := range v.References {
		a.References = append(a.References, advisory.Reference{Type: r.Type, URL: r.URL})
	}
	for _, c := range v.Credits {
		a.Credits = append(a.Credits, advisory.Credit{Name: c.Name, Type: c.Type, Contact: c.Contact})
	}
	a.CWEs = v.Specific().CWEIDs
	return a, nil
}

// convertFor converts a record of product p: a package product's records
// (pip: PyPI package, ECOSYSTEM range) with ConvertPackage, the others (one
// GIT range, no package) with Convert.
func convertFor(v *osv.Vulnerability, p *product.Product) (*advisory.Advisory, error) {
	if p.Package != nil && len(v.Affected) == 1 && v.Affected[0].Package != nil {
		return ConvertPackage(v, p)
	}
	return Convert(v)
}

// supported refuses records with content the source format has no place for.
func supported(v *osv.Vulnerability) error {
	switch {
	case len(v.Related) > 0 || len(v.Upstream) > 0:
		return fmt.Errorf("related/upstream identifiers are not supported; remove them or add them as references")
	case len(v.Affected) != 1:
		return fmt.Errorf("affected has %d entries; exactly one (the product's GIT range) is supported", len(v.Affected))
	}
	for _, s := range v.Severity {
		if s.Type != "CVSS_V4" || len(v.Severity) > 1 {
			return fmt.Errorf("severity %s is not supported; only one CVSS_V4 vector", s.Type)
		}
	}
	return databaseSpecific(v.DatabaseSpecific, "cwe_ids")
}

// ranges maps the single GIT range onto introduced and branch entries. The
// branch of each commit is not known from the record; the resolver places it.
func ranges(a *advisory.Advisory, affected []osv.Affected) error {
	af := affected[0]
	if af.Package != nil || len(af.Ranges) != 1 || af.Ranges[0].Type != "GIT" {
		return fmt.Errorf("affected[0] must hold exactly one GIT range and no package")
	}
	for i, e := range af.Ranges[0].Events {
		if err := addEvent(a, e); err != nil {
			return fmt.Errorf("affected[0].ranges[0].events[%d]: %v", i, err)
		}
	}
	if a.Introduced == "" {
		return fmt.Errorf("affected[0].ranges[0]: no introduced event")
	}
	return nil
}

func addEvent(a *advisory.Advisory, e osv.Event) error {
	n := 0
	for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("an event must have exactly one of introduced, fixed, last_affected (has %d)", n)
	}
	switch {
	case e.Limit != "":
		return fmt.Errorf("limit events are not supported")
	case e.Introduced != "" && a.Introduced == "":
		a.Introduced = e.Introduced
	case e.Introduced != "":
		a.Branches = append(a.Branches, advisory.Branch{Introduced: e.Introduced})
	case e.Fixed != "":
		a.Branches = append(a.Branches, advisory.Branch{Fixed: e.Fixed})
	default:
		a.Branches = append(a.Branches, advisory.Branch{LastAffected: e.LastAffected})
	}
	return nil
}

// DeriveTitle makes a title for a record without summary: the first
// sentence of its details, cut at a word boundary to fit the title limit.
// The PSRT's opening sentence is skipped when it says only the severity and
// the product ("There is a MEDIUM severity vulnerability affecting
// CPython."): as a title it would say nothing about the flaw.
func DeriveTitle(details string) string {
	if rest := advisory.StripSeverity(details); strings.TrimSpace(rest) != "" {
		details = rest
	}
	s := strings.Join(strings.Fields(details), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, ".")
	if utf8.RuneCountInString(s) <= rule.MaxTitle {
		return s
	}
	r := []rune(s)[:rule.MaxTitle-1]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > 0 {
		cut = cut[:i]
	}
	return cut + "…"
}

// modifiedFloor keeps the record's `modified` as the floor of the rebuilt
// record's, unless it is earlier than `published`: some published records
// carry the zero time 0001-01-01T00:00:00Z there, which says nothing.
func modifiedFloor(v *osv.Vulnerability) string {
	m, errM := rule.ParseTime(v.Modified)
	p, errP := rule.ParseTime(v.Published)
	if errM != nil || (errP == nil && m.Before(p)) {
		return ""
	}
	return v.Modified
}
