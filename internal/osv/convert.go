package osv

import (
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// Convert turns an advisory into its OSV record. s is the advisory's version
// data (package verdict): with a computed resolution the record lists every
// fix commit and the affected versions; otherwise it keeps the authored GIT
// events, has no versions, and its per-branch summary (and, for a package,
// its ECOSYSTEM range) comes from the authored release facts when there are
// any. database_specific.versions_source says which. modified is the derived
// modification time (see package build).
func Convert(a *advisory.Advisory, p *product.Product, s verdict.Summary, modified string) *Vulnerability {
	v := &Vulnerability{
		SchemaVersion:    SchemaVersion,
		ID:               a.ID,
		Modified:         modified,
		Published:        a.Published,
		Withdrawn:        a.Withdrawn,
		Aliases:          a.Aliases,
		Summary:          a.Title,
		Details:          details(a),
		Affected:         affectedList(affected(a, p, s)),
		References:       references(a),
		Credits:          credits(a),
		DatabaseSpecific: NewDatabaseSpecific(a, s),
	}
	v.Severity = severity(a)
	return v
}

// severity lists the CVSS vectors: CVSS_V3 (3.1 or 3.0), then CVSS_V4.
func severity(a *advisory.Advisory) []Severity {
	var out []Severity
	if a.CVSSV3 != "" {
		out = append(out, Severity{Type: "CVSS_V3", Score: a.CVSSV3})
	}
	if a.CVSS != "" {
		out = append(out, Severity{Type: "CVSS_V4", Score: a.CVSS})
	}
	return out
}

// MitigationsHeading introduces the mitigations in `details`.
const MitigationsHeading = "## Mitigations"

// details is the description, followed by the mitigations under a heading.
func details(a *advisory.Advisory) string {
	if a.Mitigations == "" {
		return a.Description
	}
	return strings.TrimRight(a.Description, "\n") + "\n\n" + MitigationsHeading + "\n\n" + a.Mitigations
}

func affected(a *advisory.Advisory, p *product.Product, s verdict.Summary) Affected {
	var af Affected
	if hasCommitData(a, s.Entry) {
		af.Ranges = []Range{gitRange(a, p, s.Entry)}
	}
	if p.Package != nil {
		af.Package = &Package{Ecosystem: p.Package.Ecosystem, Name: p.Package.Name, PURL: p.Package.PURL}
		if r, ok := ecosystemRange(a, p, s); ok {
			af.Ranges = append([]Range{r}, af.Ranges...)
		}
	}
	af.Versions = s.AffectedReleases(p)
	return af
}

// affectedList is the record's affected list: the one entry, unless it
// says nothing (no package, no range, no version), as for facts that reach
// no known release: then the record lists no affected entry rather than a
// range that would claim every tag.
func affectedList(af Affected) []Affected {
	if af.Package == nil && len(af.Ranges) == 0 && len(af.Versions) == 0 {
		return nil
	}
	return []Affected{af}
}

// hasCommitData reports whether the advisory's GIT range would say
// something true: it names a fix or last affected commit (authored or
// found by the resolution) or an introducing commit. A range from "0" with
// no fix reads as "every tag affected" to osv.dev's GIT analysis, so an
// advisory with release facts and no commit publishes its versions alone.
func hasCommitData(a *advisory.Advisory, res *lock.Entry) bool {
	if a.Introduced != "0" || (res != nil && len(res.Fixed) > 0) {
		return true
	}
	for _, b := range a.Branches {
		if b.Fixed != "" || b.LastAffected != "" || b.Introduced != "" {
			return true
		}
	}
	return !a.HasFacts() // no facts either: the range is all there is
}

// gitRange lists the introduced commits, then every fix commit (with a
// resolution, in its branch order, including the discovered backports; then
// any authored fix it lacks), then the last affected commits, each once.
func gitRange(a *advisory.Advisory, p *product.Product, res *lock.Entry) Range {
	var ev events
	ev.add(Event{Introduced: a.Introduced})
	for _, b := range a.Branches {
		ev.add(Event{Introduced: b.Introduced})
	}
	if res != nil {
		for _, f := range res.Fixed {
			ev.add(Event{Fixed: f.Commit})
		}
	}
	for _, b := range a.Branches {
		ev.add(Event{Fixed: b.Fixed})
	}
	for _, b := range a.Branches {
		ev.add(Event{LastAffected: b.LastAffected})
	}
	return Range{Type: "GIT", Repo: p.Repo, Events: ev.list}
}

// ecosystemRange derives version events from the per-branch summary
// (computed or authored), oldest branch first: each affected branch is
// introduced at its first affected release (a computed summary's oldest
// branch at "0" when the vulnerability is as old as the project; authored
// facts say "0" themselves when they mean it) and fixed at its fixed-in
// release, or closed at its last affected release when the branch is fixed
// in no release it names. A branch with no end (unfixed, or its fix not
// released) stays open into the next branch's range, which then adds no
// introduced event of its own; when the newest branch is open, main's fix
// release closes it (a package product cutting its X.Y series from main).
func ecosystemRange(a *advisory.Advisory, p *product.Product, s verdict.Summary) (Range, bool) {
	var ev events
	open, openedAt := false, ""
	for _, b := range s.Affected() {
		if !open {
			openedAt = b.FirstAffected
			if len(ev.list) == 0 && a.Introduced == "0" && s.Source == verdict.Computed {
				openedAt = "0" // the first tag of the history stands for every earlier release
			}
			ev.add(Event{Introduced: openedAt})
		}
		open = false
		switch {
		case b.FixedIn != "":
			ev.add(Event{Fixed: b.FixedIn})
		case b.Status == lock.StatusFixed && b.LastAffected != "":
			ev.add(Event{LastAffected: b.LastAffected})
		default:
			open = true
		}
	}
	if len(ev.list) == 0 {
		return Range{}, false
	}
	if f := mainFixRelease(s); open && f != "" && releaseAfter(p, f, openedAt) {
		ev.add(Event{Fixed: f})
	}
	return Range{Type: "ECOSYSTEM", Events: ev.list}, true
}

// mainFixRelease is main's fix release when main is fixed and has no
// affected release of its own (its releases are counted in their X.Y
// series), else "".
func mainFixRelease(s verdict.Summary) string {
	for _, b := range s.Branches {
		if b.Branch == "main" && b.Status == lock.StatusFixed && b.FirstAffected == "" {
			return b.FixedIn
		}
	}
	return ""
}

// releaseAfter reports whether release a comes after b ("0" precedes every
// release) in the product's order; false when either does not parse.
func releaseAfter(p *product.Product, a, b string) bool {
	if b == "0" {
		return true
	}
	c, err := p.CompareReleases(a, b)
	return err == nil && c > 0
}

// events accumulates range events, skipping empty and repeated ones.
type events struct {
	list []Event
	seen map[Event]bool
}

func (e *events) add(ev Event) {
	if ev == (Event{}) {
		return
	}
	if e.seen == nil {
		e.seen = map[Event]bool{}
	}
	if !e.seen[ev] {
		e.seen[ev] = true
		e.list = append(e.list, ev)
	}
}

func references(a *advisory.Advisory) []Reference {
	var out []Reference
	for _, r := range a.References {
		out = append(out, Reference{Type: r.Type, URL: r.URL})
	}
	return out
}

func credits(a *advisory.Advisory) []Credit {
	var out []Credit
	for _, c := range a.Credits {
		out = append(out, Credit{Name: c.Name, Type: c.Type, Contact: c.Contact})
	}
	return out
}
