package site

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/psf/advisory-builder/internal/advisory"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/check"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/psf/advisory-builder/internal/version"
)

// advSummary is what the index pages, the feed and search-index.json need
// about one advisory. The site holds one per record for the whole build, so
// it stays light: it keeps copies of the few strings it shows and the
// record's version data (whose lists a computed summary shares with the
// lock), never the record; whatever costs memory is a method computed when
// asked. The advisory page's full view (advView) is built from it and the
// record (rec, set only while that page is written).
type advSummary struct {
	ID, Title                string
	Severity, SeverityLabel  string
	Product, ProductTitle    string
	CVEs                     []string
	Published, PublishedDate string
	Modified, Withdrawn      string
	Components               []string
	// Source is where the version data comes from: computed, authored or
	// unknown (package verdict); Known when it is not unknown.
	Source string
	Known  bool
	// rec is the record, only while its advisory page is written.
	rec *osv.Record
	// own is the record's product (nil when the record names none); prod
	// is it or, failing that, the configuration's product of the advisory.
	own, prod *product.Product
	repo      string
	scheme    version.Scheme
	// order is the release order of the record's product, each release
	// parsed once and shared by every summary of the product (nil when
	// the record names no product).
	order *product.Order
	// What the index, the search index and the feed read of the record.
	aliases   []string // clipped
	platforms string   // advisory.PlatformsNote
	versions  verdict.Summary
	evs       []verdict.Event
	ecoEvents [][][2]string
	// description is the Markdown source, kept only while the advisory is
	// among the feed's newest (feedRanks).
	description string
}

// fixView is an affected branch as the index shows it.
type fixView struct{ Branch, FixedIn string }

// buildSummaries checks the records and summarizes them, sorted newest
// first (published descending, then ID descending).
func buildSummaries(recs []*osv.Record, cfg product.Config) ([]*advSummary, error) {
	sums := make([]*advSummary, len(recs))
	seen := make(map[string]bool, len(recs))
	orders := &productOrders{}
	for i, r := range recs {
		s, err := newSummary(r, cfg, orders)
		if err != nil {
			return nil, fmt.Errorf("site: record %d: %w", i, err)
		}
		sums[i] = s
	}
	for i, s := range sums {
		if seen[s.ID] {
			return nil, fmt.Errorf("site: record %d: duplicate advisory ID %q", i, s.ID)
		}
		seen[s.ID] = true
	}
	sortNewestFirst(sums)
	return sums, nil
}

// sortNewestFirst orders summaries newest first: published descending, then
// ID descending.
func sortNewestFirst(sums []*advSummary) {
	sort.SliceStable(sums, func(i, j int) bool { return newer(sums[i], sums[j]) })
}

// newer reports whether a comes before b newest first.
func newer(a, b *advSummary) bool {
	if a.Published != b.Published {
		return a.Published > b.Published
	}
	return a.ID > b.ID
}

// productOrders shares each product's release order among its summaries;
// safe for concurrent use.
type productOrders struct {
	mu sync.Mutex
	m  map[*product.Product]*product.Order
}

func (po *productOrders) of(p *product.Product) *product.Order {
	po.mu.Lock()
	defer po.mu.Unlock()
	if po.m == nil {
		po.m = map[*product.Product]*product.Order{}
	}
	if po.m[p] == nil {
		po.m[p] = p.Order()
	}
	return po.m[p]
}

func newSummary(r *osv.Record, cfg product.Config, orders *productOrders) (*advSummary, error) {
	if r == nil || r.Advisory == nil {
		return nil, fmt.Errorf("record has no advisory")
	}
	a := r.Advisory
	if !rule.IsSafeName(a.ID) {
		return nil, fmt.Errorf("advisory ID %q is not usable as a file name (want letters, digits, '.', '_', '-')", clip(a.ID, 60))
	}
	p := r.Product
	if p == nil {
		p = cfg[a.Product]
	}
	if p == nil || !rule.IsSafeName(p.Name) {
		return nil, fmt.Errorf("%s: unknown product %q", a.ID, a.Product)
	}
	s := &advSummary{
		ID: strings.Clone(a.ID), Title: strings.Clone(clip(a.Title, maxTitle)),
		Severity:  severityKey(a.Severity),
		Published: strings.Clone(a.Published), Withdrawn: strings.Clone(a.Withdrawn),
		Components: cloneList(clipList(a.Components)), rec: r, own: r.Product, prod: p,
		aliases: cloneList(clipList(a.Aliases)), platforms: advisory.PlatformsNote(a.Platforms),
		versions: r.VersionData(), evs: r.Vuln.EcosystemEvents(), description: a.Description,
	}
	s.versions.Entry = nil // the site never reads it: a summary keeps no lock entry alive
	s.Modified = s.Published
	if r.Vuln != nil && r.Vuln.Modified != "" {
		s.Modified = strings.Clone(r.Vuln.Modified)
	}
	if r.Vuln != nil && s.Withdrawn == "" {
		s.Withdrawn = strings.Clone(r.Vuln.Withdrawn)
	}
	s.ecoEvents = ecosystemEvents(r.Vuln)
	s.derive(orders)
	return s, nil
}

// derive sets the fields a summary computes from its others: the labels,
// the product's, the date, the source of its versions and the CVE
// aliases (newSummary, and a summary unpacked).
func (s *advSummary) derive(orders *productOrders) {
	p := s.prod
	s.Product, s.ProductTitle, s.repo, s.scheme = p.Name, orDefault(p.Title, p.Name), p.Repo, p.Scheme()
	s.PublishedDate = day(s.Published)
	if s.own != nil {
		s.order = orders.of(s.own)
	}
	s.Source, s.Known = string(s.versions.Source), s.versions.Known()
	s.SeverityLabel = severityLabel(s.Severity)
	s.CVEs = nil
	for _, al := range s.aliases {
		if rule.IsCVE(al) {
			s.CVEs = append(s.CVEs, al)
		}
	}
}

// cloneList copies strings so that they keep nothing else alive.
func cloneList(l []string) []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = strings.Clone(s)
	}
	return out
}

// href is the advisory page, relative to the site root.
func (s *advSummary) href() string { return AdvisoryDir + "/" + s.ID + ".html" }

// jsonHref is the OSV record in the bundle, relative to the site root.
func (s *advSummary) jsonHref() string { return "advisories/" + s.Product + "/" + s.ID + ".json" }

// osvURL is the advisory on osv.dev.
func (s *advSummary) osvURL() string { return "https://osv.dev/vulnerability/" + s.ID }

func (s *advSummary) aliasIDs() []string { return s.aliases }

// data is the advisory's version data: computed, else authored, else
// unknown (osv.Record.VersionData).
func (s *advSummary) data() verdict.Summary { return s.versions }

// branches are the per-branch summary, computed or authored, capped.
func (s *advSummary) branches() []lock.BranchResult {
	b := s.data().Branches
	return b[:min(len(b), maxList)]
}

// rawVersions are the affected release tags as in the lock (computed data
// only), capped.
func (s *advSummary) rawVersions() []string {
	v := s.data().Versions
	return v[:min(len(v), maxVersions)]
}

// events are the ECOSYSTEM range events of the OSV record, as the judge
// reads them.
func (s *advSummary) events() []verdict.Event { return s.evs }

// ecosystemEvents are the ECOSYSTEM range events of the OSV record (PyPI
// products), as [kind, version] pairs; nil when the record has none.
func ecosystemEvents(vuln *osv.Vulnerability) [][][2]string {
	if vuln == nil {
		return nil
	}
	var out [][][2]string
	for _, af := range vuln.Affected {
		for _, r := range af.Ranges {
			if r.Type != "ECOSYSTEM" {
				continue
			}
			var evs [][2]string
			for _, e := range r.Events {
				switch {
				case e.Introduced != "":
					evs = append(evs, [2]string{"introduced", strings.Clone(clip(e.Introduced, 60))})
				case e.Fixed != "":
					evs = append(evs, [2]string{"fixed", strings.Clone(clip(e.Fixed, 60))})
				case e.LastAffected != "":
					evs = append(evs, [2]string{"last_affected", strings.Clone(clip(e.LastAffected, 60))})
				}
			}
			out = append(out, evs)
		}
	}
	return out
}

// fixes are the branches that were affected, with their fix release.
func (s *advSummary) fixes() []fixView {
	var out []fixView
	for _, b := range s.branches() {
		if lock.StatusAffects(b.Status) {
			out = append(out, fixView{Branch: clip(b.Branch, 40), FixedIn: displayVersion(b.FixedIn)})
		}
	}
	return out
}

// maintainedFix is the nearest release of a maintained branch that fixes
// the advisory (check.MaintainedFix), "" when none does.
func (s *advSummary) maintainedFix() string { return check.MaintainedFix(s.data(), s.prod, "") }

// endOfLife reports whether the configuration lists branch as end-of-life.
func (s *advSummary) endOfLife(branch string) bool {
	return s.prod.Branches[branch] == product.StatusEndOfLife
}
