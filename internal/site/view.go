package site

import (
	"fmt"
	"html"
	"html/template"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// Caps that keep a hostile or broken record from making pages huge.
const (
	maxTitle      = 300
	maxList       = 200  // components, aliases, CWEs, credits, references
	maxVersions   = 5000 // affected versions listed on a page
	maxShortField = 500  // a component, alias, credit name or URL
)

var (
	safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)
	hexSHA   = regexp.MustCompile(`^[0-9a-f]{40}$`)
	cveID    = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)
	ghsaID   = regexp.MustCompile(`^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$`)
	cweRe    = regexp.MustCompile(`^CWE-([0-9]{1,6})$`)
)

// advView is everything a page shows about one advisory.
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
	DescriptionText          string // plain Markdown source, capped, for the feed
	Resolved                 bool
	Branches                 []branchView
	Fixes                    []branchView  // branches that were affected
	Versions                 []string      // display names
	VersionItems             template.HTML // Versions as escaped <li> items (faster than a template range)
	RawVersions              []string      // tag names as in the lock
	References               []refView
	Credits                  []creditView
	Href, JSONHref, OSVURL   string
	BranchKeys, SearchText   string
	res                      *lock.Entry
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

// buildViews turns records into views, sorted newest first (published
// descending, then ID descending).
func buildViews(recs []*osv.Record, cfg product.Config) ([]*advView, error) {
	views := make([]*advView, len(recs))
	err := parallel(len(recs), func(i int) error {
		v, err := newAdvView(recs[i], cfg)
		if err != nil {
			return fmt.Errorf("site: record %d: %w", i, err)
		}
		views[i] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(recs))
	for i, v := range views {
		if seen[v.ID] {
			return nil, fmt.Errorf("site: record %d: duplicate advisory ID %q", i, v.ID)
		}
		seen[v.ID] = true
	}
	sort.SliceStable(views, func(i, j int) bool {
		if views[i].Published != views[j].Published {
			return views[i].Published > views[j].Published
		}
		return views[i].ID > views[j].ID
	})
	return views, nil
}

func newAdvView(r *osv.Record, cfg product.Config) (*advView, error) {
	if r == nil || r.Advisory == nil {
		return nil, fmt.Errorf("record has no advisory")
	}
	a := r.Advisory
	if !safeName.MatchString(a.ID) {
		return nil, fmt.Errorf("advisory ID %q is not usable as a file name (want letters, digits, '.', '_', '-')", clip(a.ID, 60))
	}
	p := r.Product
	if p == nil {
		p = cfg[a.Product]
	}
	if p == nil || !safeName.MatchString(p.Name) {
		return nil, fmt.Errorf("%s: unknown product %q", a.ID, a.Product)
	}
	v := &advView{
		ID:           a.ID,
		Title:        clip(a.Title, maxTitle),
		Severity:     severityKey(a.Severity),
		Product:      p.Name,
		ProductTitle: orDefault(p.Title, p.Name),
		Published:    a.Published,
		Withdrawn:    a.Withdrawn,
		Components:   clipList(a.Components),
		Href:         AdvisoryDir + "/" + a.ID + ".html",
		JSONHref:     "advisories/" + p.Name + "/" + a.ID + ".json",
		OSVURL:       "https://osv.dev/vulnerability/" + a.ID,
		res:          r.Resolution,
		repo:         p.Repo,
	}
	v.SeverityLabel = severityLabel(v.Severity)
	v.Modified = a.Published
	if r.Vuln != nil && r.Vuln.Modified != "" {
		v.Modified = r.Vuln.Modified
	}
	if r.Vuln != nil && v.Withdrawn == "" {
		v.Withdrawn = r.Vuln.Withdrawn
	}
	v.PublishedDate, v.ModifiedDate, v.WithdrawnDate = day(v.Published), day(v.Modified), day(v.Withdrawn)
	v.setAliases(a.Aliases)
	v.setCWEs(a.CWEs)
	if a.CVSS != "" {
		v.CVSS = scoreCVSS(a.CVSS)
	}
	v.Description = renderMarkdown(a.Description)
	v.Mitigations = renderMarkdown(a.Mitigations)
	v.DescriptionText = clip(a.Description, 2000)
	v.setResolution(r.Resolution)
	v.setReferences(a.References)
	v.setCredits(a.Credits)
	v.setSearch()
	return v, nil
}

func (v *advView) setAliases(aliases []string) {
	for _, s := range clipList(aliases) {
		al := aliasView{ID: s}
		switch {
		case cveID.MatchString(s):
			v.CVEs = append(v.CVEs, s)
			al.URL = "https://www.cve.org/CVERecord?id=" + s
		case ghsaID.MatchString(s):
			al.URL = "https://github.com/advisories/" + s
		}
		v.Aliases = append(v.Aliases, al)
	}
}

func (v *advView) setCWEs(cwes []string) {
	for _, s := range clipList(cwes) {
		c := aliasView{ID: s}
		if m := cweRe.FindStringSubmatch(s); m != nil {
			c.URL = "https://cwe.mitre.org/data/definitions/" + m[1] + ".html"
		}
		v.CWEs = append(v.CWEs, c)
	}
}

func (v *advView) setResolution(e *lock.Entry) {
	if e == nil {
		return
	}
	v.Resolved = true
	for _, b := range e.Branches {
		bv := branchView{
			Branch:      clip(b.Branch, 40),
			Status:      statusKey(b.Status),
			First:       displayVersion(b.FirstAffected),
			Last:        displayVersion(b.LastAffected),
			FixedIn:     displayVersion(b.FixedIn),
			StatusLabel: statusLabel(b.Status),
		}
		if hexSHA.MatchString(b.FixCommit) {
			bv.FixShort = b.FixCommit[:12]
			if isHTTPS(v.repo) {
				bv.FixURL = strings.TrimSuffix(v.repo, "/") + "/commit/" + b.FixCommit
			}
		} else {
			bv.FixShort = clip(b.FixCommit, 40)
		}
		v.Branches = append(v.Branches, bv)
		if bv.Status != lock.StatusNotAffected {
			v.Fixes = append(v.Fixes, bv)
		}
		if len(v.Branches) >= maxList {
			break
		}
	}
	raw := e.Versions
	if len(raw) > maxVersions {
		raw = raw[:maxVersions]
	}
	v.RawVersions = raw
	var items strings.Builder
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

// setSearch fills the data attributes the index filters on.
func (v *advView) setSearch() {
	var keys []string
	for _, b := range v.Fixes {
		keys = append(keys, b.Branch)
	}
	v.BranchKeys = strings.Join(keys, " ")
	parts := []string{v.ID, v.Title, v.ProductTitle}
	for _, a := range v.Aliases {
		parts = append(parts, a.ID)
	}
	parts = append(parts, v.Components...)
	v.SearchText = strings.ToLower(strings.Join(parts, " "))
}

func severityKey(s string) string {
	for _, k := range advisory.Severities {
		if s == k {
			return k
		}
	}
	return "unknown"
}

func severityLabel(k string) string {
	switch k {
	case "low":
		return "Low"
	case "medium":
		return "Medium"
	case "high":
		return "High"
	case "critical":
		return "Critical"
	}
	return "Unrated"
}

func statusKey(s string) string {
	switch s {
	case lock.StatusFixed, lock.StatusUnfixed, lock.StatusNotAffected:
		return s
	}
	return "unknown"
}

func statusLabel(s string) string {
	switch s {
	case lock.StatusFixed:
		return "Fixed"
	case lock.StatusUnfixed:
		return "Not fixed yet"
	case lock.StatusNotAffected:
		return "Not affected"
	}
	return "Unknown"
}

func refTypeLabel(t string) string {
	for _, k := range advisory.ReferenceTypes {
		if t == k {
			return strings.ToLower(k)
		}
	}
	return "web"
}

func creditTypeLabel(t string) string {
	for _, k := range advisory.CreditTypes {
		if t == k {
			return strings.ReplaceAll(strings.ToLower(k), "_", " ")
		}
	}
	return ""
}

// day is the date part of an RFC 3339 time, for display.
func day(ts string) string {
	if len(ts) >= 10 && ts[4] == '-' && ts[7] == '-' {
		return ts[:10]
	}
	return clip(ts, 40)
}

// displayVersion shows a release tag as people write the version: v3.12.4
// is 3.12.4.
func displayVersion(tag string) string {
	if len(tag) > 1 && tag[0] == 'v' && tag[1] >= '0' && tag[1] <= '9' {
		return clip(tag[1:], 60)
	}
	return clip(tag, 60)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

func clipList(in []string) []string {
	if len(in) > maxList {
		in = in[:maxList]
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, clip(s, maxShortField))
	}
	return out
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }
