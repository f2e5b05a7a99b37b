package check

import (
	"fmt"
	"slices"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/psf/advisory-builder/internal/version"
)

// Entry is what checking needs of one advisory, from sources plus lock or
// from a built record.
type Entry struct {
	ID        string
	Product   string
	Aliases   []string
	Title     string
	Severity  string
	Withdrawn bool
	// Platforms are the platforms the advisory is limited to (empty: all).
	Platforms []string
	// Data is the advisory's version data and its source.
	Data verdict.Summary
	// Ecosystem holds the events of the record's ECOSYSTEM ranges (package
	// products): what OSV consumers judge a PyPI version by.
	Ecosystem []verdict.Event
}

// Finding is one advisory affecting the queried version.
type Finding struct {
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases"`
	Title    string   `json:"title"`
	Severity string   `json:"severity,omitempty"`
	Branch   string   `json:"branch,omitempty"`
	// Status is the branch's status: fixed or unfixed.
	Status string `json:"status,omitempty"`
	// FixedIn is the release of the version's branch with the fix.
	FixedIn string `json:"fixed_in,omitempty"`
	// Source is where the answer comes from: computed or authored.
	Source string `json:"source"`
	// Platforms are the platforms the advisory is limited to; absent when
	// it affects every platform.
	Platforms []string `json:"platforms,omitempty"`
	// UpgradeTo is, for a version of an end-of-life branch with no fix of
	// its own, the nearest release of a maintained branch that fixes it.
	UpgradeTo string `json:"upgrade_to,omitempty"`
}

// Unknown is an advisory whose effect on the queried version nobody can
// tell: it has no version data (or data that does not parse).
type Unknown struct {
	ID      string   `json:"id"`
	Aliases []string `json:"aliases"`
	Title   string   `json:"title"`
}

// Result is the answer for one version: the advisories that affect it, the
// ones that cannot be judged, and how many were judged from each source.
type Result struct {
	Affected []Finding
	Unknown  []Unknown
	// Judged counts the advisories answered (affected or not), by source.
	Judged map[verdict.Source]int
	// Reason says why nothing was judged (a version that is not a known
	// release), else "".
	Reason string
	// EndOfLife is the version's branch when it is end-of-life: no fix
	// will come to it.
	EndOfLife string
	// OtherPlatforms counts the advisories left out because they are
	// limited to platforms other than the query's.
	OtherPlatforms int
}

// Outcome is the overall answer: affected when any advisory affects the
// version (even if others cannot be judged), else unknown when any cannot
// be judged, else not affected.
func (r Result) Outcome() verdict.Outcome {
	switch {
	case r.Reason != "":
		return verdict.CannotTell
	case len(r.Affected) > 0:
		return verdict.Affected
	case len(r.Unknown) > 0:
		return verdict.CannotTell
	}
	return verdict.NotAffected
}

// Check judges every advisory of the queried product that is not withdrawn
// (withdrawn advisories never match). p is the product (its release order;
// a package product is judged by its records' ECOSYSTEM ranges, as OSV
// consumers judge it).
func Check(entries []Entry, q Query, p *product.Product) Result {
	r := Result{Affected: []Finding{}, Unknown: []Unknown{}, Judged: map[verdict.Source]int{}}
	if !knownRelease(entries, q, p) {
		r.Reason = fmt.Sprintf("cannot tell: %s is not a known release of %s", q.Version, titleOf(p, q.Product))
		return r
	}
	r.EndOfLife = EndOfLifeBranch(p, q.Version)
	o := order(p)
	for _, e := range entries {
		if e.Product != q.Product || e.Withdrawn {
			continue
		}
		if !advisory.AffectsPlatform(e.Platforms, q.Platform) {
			r.OtherPlatforms++
			continue
		}
		ans := judge(e, q, p, o)
		switch ans.Outcome {
		case verdict.CannotTell:
			r.Unknown = append(r.Unknown, Unknown{ID: e.ID, Aliases: nonNil(e.Aliases), Title: e.Title})
			continue
		case verdict.Affected:
			f := finding(e, ans)
			if r.EndOfLife != "" && f.FixedIn == "" {
				f.UpgradeTo = MaintainedFix(e.Data, p, q.Version)
			}
			r.Affected = append(r.Affected, f)
		}
		r.Judged[ans.Source]++
	}
	slices.SortFunc(r.Affected, func(x, y Finding) int { return compareIDs(x.ID, y.ID) })
	slices.SortFunc(r.Unknown, func(x, y Unknown) int { return compareIDs(x.ID, y.ID) })
	return r
}

// judge answers for one advisory (verdict.Summary.Judge).
func judge(e Entry, q Query, p *product.Product, o verdict.Order) verdict.Answer {
	return e.Data.Judge(o, p != nil && p.Package != nil, e.Ecosystem, q.Version)
}

// order is the release order to judge every advisory of p by: one
// product.Order, which parses each release once for all of them (it
// answers as the product does).
func order(p *product.Product) verdict.Order {
	if p == nil {
		return p
	}
	return p.Order()
}

func finding(e Entry, ans verdict.Answer) Finding {
	f := Finding{ID: e.ID, Aliases: nonNil(e.Aliases), Title: e.Title, Severity: e.Severity, Source: string(ans.Source), Platforms: e.Platforms}
	if b := ans.Branch; b != nil {
		f.Branch, f.Status = b.Branch, b.Status
		if b.FixedIn != "" {
			f.FixedIn = version.Plain(b.FixedIn)
		}
	}
	return f
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// knownRelease reports whether q's version is one of the product's known
// releases, as the records carry them (verdict.Summary.Releases, from the
// release list); true when they carry none.
func knownRelease(entries []Entry, q Query, p *product.Product) bool {
	for _, e := range entries {
		if e.Product != q.Product || len(e.Data.Releases) == 0 {
			continue
		}
		for _, t := range e.Data.Releases {
			if c, err := p.CompareReleases(t, q.Version); err == nil && c == 0 {
				return true
			}
		}
		return false
	}
	return true
}

func titleOf(p *product.Product, name string) string {
	if p != nil && p.Title != "" {
		return p.Title
	}
	return name
}
