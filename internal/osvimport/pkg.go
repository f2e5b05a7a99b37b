package osvimport

import (
	"fmt"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/cvss"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// ConvertPackage maps a record of a package product (pip's PYSEC records:
// a PyPI package, an ECOSYSTEM range, maybe a GIT range, CVSS_V3) onto an
// advisory: the ECOSYSTEM bounds become authored release facts, the GIT
// events introduced and fixed commits, the CVSS vectors cvss_v3 and cvss.
// A record of another database gets a placeholder ID (PSF-0000-<its id>,
// numbered by assign-ids) and its ID as an alias. What the format cannot
// hold goes to the notes; what it cannot represent at all is refused.
func ConvertPackage(v *osv.Vulnerability, p *product.Product) (*advisory.Advisory, error) {
	if err := supportedPackage(v, p); err != nil {
		return nil, err
	}
	c := &converted{a: &advisory.Advisory{
		ID:          v.ID,
		Aliases:     slices.Clone(v.Aliases),
		Published:   v.Published,
		Modified:    modifiedFloor(v),
		Withdrawn:   v.Withdrawn,
		Title:       strings.TrimSpace(v.Summary),
		Description: v.Details,
	}, p: p}
	a := c.a
	if _, _, own := rule.ParseID(v.ID); !own {
		a.ID = rule.PlaceholderPrefix + strings.ToLower(v.ID)
		a.Aliases = append(a.Aliases, v.ID)
		a.Modified = "" // a new record: its modified starts afresh
	}
	if a.Title == "" {
		a.Title = DeriveTitle(v.Details)
	}
	c.severities(v.Severity)
	if sev := advisory.SeverityIn(v.Details); sev != "" {
		a.Severity = sev
	}
	if err := c.ranges(v.Affected[0]); err != nil {
		return nil, err
	}
	if a.Severity == "" {
		c.notef("the record states no severity: set the PSRT severity (lint requires it of a new advisory)")
	}
	for _, r := range v.References {
		a.References = append(a.References, advisory.Reference{Type: r.Type, URL: r.URL})
	}
	for _, cr := range v.Credits {
		a.Credits = append(a.Credits, advisory.Credit{Name: cr.Name, Type: cr.Type, Contact: cr.Contact})
	}
	a.CWEs = v.Specific().CWEIDs
	if len(c.notes) > 0 {
		a.Notes = "Imported from " + v.ID + " by `advisory import`:\n- " + strings.Join(c.notes, "\n- ")
	}
	return a, nil
}

// converted is a package record being converted, with its notes.
type converted struct {
	a     *advisory.Advisory
	p     *product.Product
	notes []string
}

func (c *converted) notef(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// supportedPackage refuses what the format cannot represent: another
// package, several affected entries, per-package severity or extra data.
func supportedPackage(v *osv.Vulnerability, p *product.Product) error {
	switch {
	case len(v.Related) > 0 || len(v.Upstream) > 0:
		return fmt.Errorf("related/upstream identifiers are not supported; remove them or add them as references")
	case len(v.Affected) != 1:
		return fmt.Errorf("affected has %d entries; exactly one (the %s package) is supported", len(v.Affected), p.Name)
	}
	af := v.Affected[0]
	pkg := p.Package
	switch {
	case af.Package == nil:
		return fmt.Errorf("affected[0] has no package; a %s record names the package %s/%s", p.Name, pkg.Ecosystem, pkg.Name)
	case af.Package.Ecosystem != pkg.Ecosystem || !strings.EqualFold(af.Package.Name, pkg.Name):
		return fmt.Errorf("affected[0].package is %s/%s, not %s/%s; pass the matching --product", af.Package.Ecosystem, af.Package.Name, pkg.Ecosystem, pkg.Name)
	case af.Package.PURL != "" && af.Package.PURL != pkg.PURL:
		return fmt.Errorf("affected[0].package.purl is %q, not %q", af.Package.PURL, pkg.PURL)
	case len(af.Severity) > 0 || len(af.EcosystemSpecific) > 0 || len(af.DatabaseSpecific) > 0:
		return fmt.Errorf("affected[0] carries severity, ecosystem_specific or database_specific; the format has no place for them")
	case len(af.Ranges) == 0:
		return fmt.Errorf("affected[0] has no range; an advisory needs its affected versions")
	}
	return databaseSpecific(v.DatabaseSpecific, "cwe_ids")
}

// severities files CVSS 3.x and 4.0 vectors; any other score goes to the
// notes. The PSRT severity defaults to the CVSS base severity.
func (c *converted) severities(ss []osv.Severity) {
	for i, s := range ss {
		sc, err := cvss.Parse(s.Score)
		switch {
		case err != nil || (s.Type != "CVSS_V3" && s.Type != "CVSS_V4") || (s.Type == "CVSS_V3") != sc.V3():
			c.notef("severity[%d] %q %q not kept: the format holds CVSS 3.x and 4.0 vectors", i, s.Type, s.Score)
		case sc.V3() && c.a.CVSSV3 == "":
			c.a.CVSSV3 = s.Score
		case !sc.V3() && c.a.CVSS == "":
			c.a.CVSS = s.Score
		default:
			c.notef("severity[%d] %q %q not kept: the format holds one vector per CVSS version", i, s.Type, s.Score)
		}
		if sev := strings.ToLower(sc.Severity); err == nil && c.a.Severity == "" && slices.Contains(advisory.Severities, sev) {
			c.a.Severity = sev
		}
	}
}
