package cverecord

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/product"
)

// TODO markers the scaffold leaves where a record holds no value; lint
// refuses them until an author fills the field.
const (
	TodoTitle      = "TODO: a brief description of the vulnerability and the affected component"
	TodoSeverity   = "TODO: low, medium, high or critical"
	TodoIntroduced = `TODO: "0" when every version up to the fix is affected, else the introducing commit`
	TodoDesc       = "TODO: what the vulnerability is, its impact and the conditions where the affected component is vulnerable."
	TodoPublished  = "TODO: the RFC 3339 UTC time of the announcement, like 2024-08-19T19:06:45Z"
)

// creditTypes maps CVE credit types onto OSV credit types.
var creditTypes = map[string]string{
	"finder": "FINDER", "reporter": "REPORTER", "analyst": "ANALYST", "coordinator": "COORDINATOR",
	"remediation developer": "REMEDIATION_DEVELOPER", "remediation reviewer": "REMEDIATION_REVIEWER",
	"remediation verifier": "REMEDIATION_VERIFIER", "tool": "TOOL", "sponsor": "SPONSOR", "other": "OTHER",
}

var (
	branchHint = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[(` + rule.BranchPattern + `|main)\]`) })
)

// Imported is an advisory made from a CVE record, with what the import
// could not carry over.
type Imported struct {
	Advisory *advisory.Advisory
	// Warnings are things a reviewer should know (dropped links, unplaced
	// commits); they are also kept in the advisory's notes.
	Warnings []string
}

// ToAdvisory makes an advisory source from a record of product p, with the
// given (placeholder) ID. Fields the record does not hold are TODO markers.
//
// A record whose facts the advisory cannot hold is refused, naming what,
// rather than imported with something left out: a REJECTED record (a
// rejected CVE is no advisory), a second affected product or entry, a
// range with a changes array, and a range whose upper bound is below its
// start.
func ToAdvisory(r *Record, id string, p *product.Product) (*Imported, error) {
	if r.CVEMetadata.State != "PUBLISHED" {
		return nil, fmt.Errorf("%s: cveMetadata.state is %s: a rejected CVE is no advisory to scaffold; nothing written (to withdraw a published advisory, set its withdrawn time)",
			r.CVEMetadata.CVEID, r.CVEMetadata.State)
	}
	af, err := affectedFor(r, p)
	if err != nil {
		return nil, err
	}
	c := r.Containers.CNA
	im := &Imported{Advisory: &advisory.Advisory{ID: id, Product: p.Name, Aliases: []string{r.CVEMetadata.CVEID}}}
	a := im.Advisory
	a.Published = published(r)
	a.Title = oneLine(c.Title)
	if a.Title == "" {
		a.Title = TodoTitle
	}
	desc, _ := English(c.Descriptions)
	a.Severity = severity(c, desc)
	a.Description = cleanText(advisory.StripSeverity(desc))
	if a.Description == "" {
		a.Description = TodoDesc
	}
	if w, ok := English(c.Workarounds); ok {
		a.Mitigations = cleanText(w)
	}
	im.metrics(c)
	a.CWEs = cwes(c)
	a.CWENames = im.cweNames(c)
	a.Components = components(af)
	a.Introduced = introduced(af)
	a.Credits = credits(c)
	im.references(c, p)
	if err := im.bounds(af, p); err != nil {
		return nil, err
	}
	im.unheld(r)
	if len(im.Warnings) > 0 {
		a.Notes = "Imported from " + r.CVEMetadata.CVEID + " by `advisory new`:\n- " + strings.Join(im.Warnings, "\n- ")
	}
	return im, nil
}

// affectedFor finds the record's affected entry for product p (matched by
// product name, package name or the product's title). The record must have
// that one entry: a second one (another product, or the same product
// again) would be left out of the advisory, so it is refused, named.
func affectedFor(r *Record, p *product.Product) (*Affected, error) {
	var names []string
	var found *Affected
	for i := range r.Containers.CNA.Affected {
		af := &r.Containers.CNA.Affected[i]
		names = append(names, fmt.Sprintf("%q", clip(af.Product, 60)))
		if found == nil && namesProduct(af, p) {
			found = af
		}
	}
	cve := r.CVEMetadata.CVEID
	switch {
	case found == nil:
		return nil, fmt.Errorf("%s: containers.cna.affected names %s, not %s (%s); pass the matching --product",
			cve, strings.Join(names, ", "), p.Title, p.Name)
	case len(names) > 1:
		return nil, fmt.Errorf("%s: containers.cna.affected has %d entries (%s); an advisory covers one product's one entry, and the others would be dropped; nothing written (write one advisory per product by hand)",
			cve, len(names), strings.Join(names, ", "))
	}
	for i, v := range found.Versions {
		if v.Changes {
			return nil, fmt.Errorf("%s: containers.cna.affected[0].versions[%d] (%s) has a changes array (status changes inside the range), which release facts cannot hold and would be dropped; nothing written (write this advisory by hand)",
				cve, i, describeRange(v))
		}
	}
	return found, nil
}

// names_ reports whether an affected entry names product p.
func namesProduct(af *Affected, p *product.Product) bool {
	for _, n := range []string{af.Product, af.PackageName} {
		if n != "" && (strings.EqualFold(n, p.Name) || strings.EqualFold(n, p.Title)) {
			return true
		}
	}
	return false
}

// published is the record's publication time as the advisory writes it.
func published(r *Record) string {
	pub := r.CVEMetadata.DatePublished
	if pub == "" {
		pub = r.Containers.CNA.DatePublic
	}
	t, err := parseCVETime(pub)
	switch {
	case err != nil:
		return TodoPublished
	case strings.HasSuffix(pub, "Z") && isRFC3339(pub):
		return pub // as written: "05.830Z" keeps its zero
	}
	return t.Format(time.RFC3339Nano)
}

func isRFC3339(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// severity takes the PSRT severity from the description's opening sentence,
// else from the CVSS 4.0 or 3.1 base severity.
func severity(c *CNA, desc string) string {
	if s := advisory.SeverityOf(desc); s != "" {
		return s
	}
	for _, pick := range []func(Metric) *CVSS{
		func(m Metric) *CVSS { return m.CVSSV40 },
		func(m Metric) *CVSS { return m.CVSSV31 },
	} {
		for _, m := range c.Metrics {
			if v := pick(m); v != nil && slices.Contains(advisory.Severities, strings.ToLower(v.BaseSeverity)) {
				return strings.ToLower(v.BaseSeverity)
			}
		}
	}
	return TodoSeverity
}

func cwes(c *CNA) []string {
	var out []string
	for _, pt := range c.ProblemTypes {
		for _, d := range pt.Descriptions {
			id := d.CWEID
			if id == "" {
				id = rule.LeadingCWE(d.Description)
			}
			if rule.IsCWE(id) && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

func components(af *Affected) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, m := range af.Modules {
		add(m)
	}
	for _, r := range af.ProgramRoutines {
		add(r.Name)
	}
	return out
}

// introduced is "0" when some range starts at the beginning; otherwise the
// introducing commit is not in the record and stays a TODO.
func introduced(af *Affected) string {
	if len(af.Versions) == 0 {
		return "0"
	}
	for _, v := range af.Versions {
		if v.Status == "affected" && (v.Version == "0" || v.Version == "") {
			return "0"
		}
	}
	return TodoIntroduced
}

func credits(c *CNA) []advisory.Credit {
	var out []advisory.Credit
	for _, cr := range c.Credits {
		name := oneLine(cr.Value)
		if name == "" {
			continue
		}
		t := creditTypes[strings.ToLower(strings.TrimSpace(cr.Type))]
		if t == "" {
			t = "FINDER" // the CVE format's default credit type
		}
		ac := advisory.Credit{Name: name, Type: t}
		if !slices.ContainsFunc(out, func(x advisory.Credit) bool { return x.Name == ac.Name && x.Type == ac.Type }) {
			out = append(out, ac)
		}
	}
	return out
}
