package site

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
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
	CWEs                     []cweView
	CVSS                     []cvssView
	Platforms                string // "Windows only"; "" for every platform
	EndOfLife                []string
	UpgradeTo                string
	Fixes                    []commitView
	PullRequests             []linkView
	Published, PublishedDate string
	Modified, ModifiedDate   string
	Withdrawn, WithdrawnDate string
	Components               []string
	Description, Mitigations template.HTML
	Source                   string
	Known                    bool
	Branches                 []branchView
	BranchRows               template.HTML // Branches as the table's rows (rows.go)
	Versions                 []string      // display names
	VersionItems             template.HTML // Versions as escaped <li> items (faster than a template range)
	References               []refView
	ReferenceItems           template.HTML // References as the list's items (rows.go)
	Credits                  []creditView
	JSONHref, OSVURL         string
	repo                     string
	repoHTTPS                bool // isHTTPS(repo), asked once per page
	prod                     *product.Product
	rows                     []lock.BranchResult
}

type aliasView struct{ ID, URL string }

// cvssView is one vector with its base score and rating ("" when the
// vector does not parse).
type cvssView struct{ Version, Vector, Score, Rating string }

// cweView is one weakness: its ID, its name when the advisory gives one
// (cwe_names), and its MITRE page.
type cweView struct{ ID, Name, URL string }

// commitView is one fix commit: the branch it fixes (empty when the
// advisory has not placed it on a branch yet), its short form, its link,
// and its pull request when known.
type commitView struct {
	Branch, Short, URL string
	PR                 linkView
}

// linkView is a label with an optional https link.
type linkView struct{ Label, URL string }

type branchView struct {
	Branch, Status, StatusLabel string
	First, Last, FixedIn        string
	EndOfLife                   bool
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
		Components: s.Components, Source: s.Source, Known: s.Known, JSONHref: s.jsonHref(), OSVURL: s.osvURL(), repo: s.repo, repoHTTPS: isHTTPS(s.repo), prod: s.prod,
	}
	v.setAliases(s.aliasIDs())
	v.setCWEs(a.CWEs, a.CWENames)
	v.CVSS = cvssViews(a.CVSS, a.CVSSV3)
	v.rows = s.branches()
	v.setFixes(a.Branches, s.rec.Vuln)
	v.setPullRequests(a.References)
	v.Description = renderMarkdown(a.Description)
	v.Mitigations = renderMarkdown(a.Mitigations)
	v.setBranches(s.branches())
	v.Platforms = advisory.PlatformsNote(a.Platforms)
	v.setEndOfLife(s)
	v.setVersions(s.rawVersions())
	v.setReferences(a.References)
	v.BranchRows, v.ReferenceItems = branchRows(v.Branches), referenceItems(v.References)
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

func (v *advView) setCWEs(cwes []string, names []advisory.CWEName) {
	for _, s := range clipList(cwes) {
		c := cweView{ID: s}
		if n := rule.CWENumber(s); n != "" {
			c.URL = "https://cwe.mitre.org/data/definitions/" + n + ".html"
		}
		for _, n := range names {
			if n.ID == s {
				c.Name = clip(n.Name, maxShortField)
				break
			}
		}
		v.CWEs = append(v.CWEs, c)
	}
}

// setFixes lists every fix commit: the advisory's own (placed on a branch
// or not yet), then any other fixed event of the record's GIT range (the
// backports a resolution found), each once.
func (v *advView) setFixes(branches []advisory.Branch, vuln *osv.Vulnerability) {
	seen := map[string]bool{}
	add := func(branch, commit string, pr int) {
		if commit == "" || seen[commit] || len(v.Fixes) >= maxList {
			return
		}
		seen[commit] = true
		c := commitView{Branch: clip(branch, 40), Short: clip(commit, 40)}
		if rule.IsCommit(commit) {
			c.Short = commit[:12]
			c.URL = v.repoLink("commit/" + commit)
		}
		if pr > 0 {
			c.PR = linkView{Label: "#" + strconv.Itoa(pr), URL: v.repoLink("pull/" + strconv.Itoa(pr))}
		}
		v.Fixes = append(v.Fixes, c)
	}
	rowOf := map[string]string{} // fix commit -> branch, from the per-branch summary the record carries
	for _, b := range v.rows {
		if b.FixCommit != "" {
			rowOf[b.FixCommit] = b.Branch
		}
	}
	for _, b := range branches {
		add(rowOf[b.Fixed], b.Fixed, 0)
	}
	if vuln == nil {
		return
	}
	for _, af := range vuln.Affected {
		for _, r := range af.Ranges {
			if r.Type != "GIT" {
				continue
			}
			for _, e := range r.Events {
				add(rowOf[e.Fixed], e.Fixed, 0)
			}
		}
	}
}

// setPullRequests lists the fix's pull requests: every FIX reference that
// is a pull request of the product's repository, each once (what the OSV
// record carries, so the page survives a round trip through it).
func (v *advView) setPullRequests(refs []advisory.Reference) {
	seen := map[string]bool{}
	add := func(n string) {
		if seen[n] || len(v.PullRequests) >= maxList {
			return
		}
		seen[n] = true
		v.PullRequests = append(v.PullRequests, linkView{Label: "#" + n, URL: v.repoLink("pull/" + n)})
	}
	prefix := strings.TrimSuffix(v.repo, "/") + "/pull/"
	for _, r := range refs {
		if r.Type != "FIX" || !strings.HasPrefix(r.URL, prefix) {
			continue
		}
		if n := strings.TrimPrefix(r.URL, prefix); isDigits(n) && len(n) <= 9 {
			add(n)
		}
	}
}

// repoLink is a link into the product's repository, "" unless it is https.
func (v *advView) repoLink(path string) string {
	if !v.repoHTTPS {
		return ""
	}
	return strings.TrimSuffix(v.repo, "/") + "/" + path
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
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
		if prod := v.prod; prod != nil && prod.Branches[b.Branch] == product.StatusEndOfLife && b.Status == lock.StatusUnfixed {
			bv.EndOfLife = true
			bv.StatusLabel = "No fix will come (end-of-life)"
		}
		if rule.IsCommit(b.FixCommit) {
			bv.FixShort = b.FixCommit[:12]
			if v.repoHTTPS {
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

// setEndOfLife names the end-of-life branches the advisory leaves unfixed
// (an unfixed row, or every branch before its fixes when its data reaches
// back to the first release) and the nearest release of a maintained
// branch that fixes it, as `advisory check` names it for such a version.
func (v *advView) setEndOfLife(s *advSummary) {
	if !s.Known || s.prod == nil {
		return
	}
	rows := map[string]bool{}
	for _, b := range v.Branches {
		rows[b.Branch] = true
		if b.EndOfLife {
			v.EndOfLife = append(v.EndOfLife, b.Branch)
		}
	}
	if s.data().FromRoot && len(v.EndOfLife) == 0 {
		for _, b := range s.prod.BranchNames() {
			if s.endOfLife(b) && !rows[b] {
				v.EndOfLife = append(v.EndOfLife, b)
			}
		}
	}
	if len(v.EndOfLife) > 0 {
		v.UpgradeTo = s.maintainedFix()
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
