package site

import (
	"html"
	"html/template"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/lock"
)

// advView is everything an advisory page shows. It is built just before the
// page is written and dropped after, so only the pages being written at the
// moment hold rendered Markdown and version lists.
type advView struct {
	ID, Title                string
	Severity, SeverityLabel  string
	Product, ProductTitle    string
	CVEs                     []string
	Aliases                  []aliasView
	CWEs                     []aliasView
	CVSS                     *cvssView
	Published, PublishedDate string
	Modified, ModifiedDate   string
	Withdrawn, WithdrawnDate string
	Components               []string
	Description, Mitigations template.HTML
	Source                   string
	Known                    bool
	Branches                 []branchView
	Versions                 []string      // display names
	VersionItems             template.HTML // Versions as escaped <li> items (faster than a template range)
	References               []refView
	Credits                  []creditView
	JSONHref, OSVURL         string
	repo                     string
}

type aliasView struct{ ID, URL string }

type cvssView struct{ Vector, Score, Rating string }

type branchView struct {
	Branch, Status, StatusLabel string
	First, Last, FixedIn        string
	FixShort, FixURL            string
}

type refView struct {
	Type, URL string
	Safe      bool
}

type creditView struct{ Name, Type string }

// view builds the advisory page's full view. Its fields are the summary's
// copied, not embedded: templates look up promoted fields slowly.
func (s *advSummary) view() *advView {
	a := s.rec.Advisory
	v := &advView{
		ID: s.ID, Title: s.Title, Severity: s.Severity, SeverityLabel: s.SeverityLabel,
		Product: s.Product, ProductTitle: s.ProductTitle, CVEs: s.CVEs,
		Published: s.Published, PublishedDate: s.PublishedDate,
		Modified: s.Modified, ModifiedDate: day(s.Modified), Withdrawn: s.Withdrawn, WithdrawnDate: day(s.Withdrawn),
		Components: s.Components, Source: s.Source, Known: s.Known, JSONHref: s.jsonHref(), OSVURL: s.osvURL(), repo: s.repo,
	}
	v.setAliases(s.aliasIDs())
	v.setCWEs(a.CWEs)
	if a.CVSS != "" {
		v.CVSS = scoreCVSS(a.CVSS)
	}
	v.Description = renderMarkdown(a.Description)
	v.Mitigations = renderMarkdown(a.Mitigations)
	v.setBranches(s.branches())
	v.setVersions(s.rawVersions())
	v.setReferences(a.References)
	v.setCredits(a.Credits)
	return v
}

func (v *advView) setAliases(aliases []string) {
	v.Aliases = make([]aliasView, 0, len(aliases))
	for _, s := range aliases {
		al := aliasView{ID: s}
		switch {
		case rule.IsCVE(s):
			al.URL = "https://www.cve.org/CVERecord?id=" + s
		case rule.IsGHSA(s):
			al.URL = "https://github.com/advisories/" + s
		}
		v.Aliases = append(v.Aliases, al)
	}
}

func (v *advView) setCWEs(cwes []string) {
	for _, s := range clipList(cwes) {
		c := aliasView{ID: s}
		if n := rule.CWENumber(s); n != "" {
			c.URL = "https://cwe.mitre.org/data/definitions/" + n + ".html"
		}
		v.CWEs = append(v.CWEs, c)
	}
}

func (v *advView) setBranches(branches []lock.BranchResult) {
	v.Branches = make([]branchView, 0, len(branches))
	for _, b := range branches {
		bv := branchView{
			Branch:      clip(b.Branch, 40),
			Status:      statusKey(b.Status),
			First:       firstAffectedLabel(b.FirstAffected),
			Last:        displayVersion(b.LastAffected),
			FixedIn:     displayVersion(b.FixedIn),
			StatusLabel: statusLabel(b.Status),
		}
		if rule.IsCommit(b.FixCommit) {
			bv.FixShort = b.FixCommit[:12]
			if isHTTPS(v.repo) {
				bv.FixURL = strings.TrimSuffix(v.repo, "/") + "/commit/" + b.FixCommit
			}
		} else {
			bv.FixShort = clip(b.FixCommit, 40)
		}
		v.Branches = append(v.Branches, bv)
	}
}

func (v *advView) setVersions(raw []string) {
	if len(raw) == 0 {
		return
	}
	v.Versions = make([]string, 0, len(raw))
	var items strings.Builder
	items.Grow(len(raw) * 20)
	for _, t := range raw {
		d := displayVersion(t)
		v.Versions = append(v.Versions, d)
		items.WriteString("<li>")
		items.WriteString(html.EscapeString(d))
		items.WriteString("</li>\n")
	}
	v.VersionItems = template.HTML(items.String()) //nolint:gosec // every item escaped above
}

func (v *advView) setReferences(refs []advisory.Reference) {
	for i, r := range refs {
		if i >= maxList {
			break
		}
		u := clip(r.URL, maxShortField)
		v.References = append(v.References, refView{Type: refTypeLabel(r.Type), URL: u, Safe: isHTTPS(u)})
	}
}

func (v *advView) setCredits(credits []advisory.Credit) {
	for i, c := range credits {
		if i >= maxList {
			break
		}
		v.Credits = append(v.Credits, creditView{Name: clip(c.Name, maxShortField), Type: creditTypeLabel(c.Type)})
	}
}

// firstAffectedLabel shows a first affected release; the authored "0" means
// every release before the fix.
func firstAffectedLabel(v string) string {
	if v == "0" {
		return "earliest"
	}
	return displayVersion(v)
}
