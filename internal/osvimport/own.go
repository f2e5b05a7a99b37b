package osvimport

import (
	"fmt"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// ownKeys are the database_specific keys of a record this project built
// (see osv.Convert); versions_source marks one.
var ownKeys = []string{"branches", "components", "cwe_ids", "facts_reach", "cwe_names", "platforms", "severity", "versions_source"}

// isOwn reports whether a record was built by this project.
func isOwn(v *osv.Vulnerability) bool {
	return v.Specific().VersionsSource != ""
}

// ownSummary is the version data of a built record: its source and the
// per-branch summary in database_specific.
type ownSummary struct {
	Source   verdict.Source
	Branches []lock.BranchResult
}

// ConvertOwn maps a record this project built back onto its source, the
// inverse of osv.Convert: the mitigations are split from the details, the
// PSRT severity and components come from database_specific, the GIT events
// become branch entries in their order (a fix placed on its branch when the
// summary names its commit), and authored release facts come back from an
// authored summary. A computed summary cannot live in the source: it is
// returned as the lock entry the record was built with (its input digest is
// the imported source's). Everything else a record could hold that a build
// never writes is refused.
func ConvertOwn(v *osv.Vulnerability, p *product.Product) (*advisory.Advisory, *lock.Entry, error) {
	sum, err := ownSupported(v, p)
	if err != nil {
		return nil, nil, err
	}
	desc, mit := splitDetails(v.Details)
	ds := v.Specific()
	a := &advisory.Advisory{
		ID: v.ID, Aliases: v.Aliases, Published: v.Published, Modified: v.Modified, Withdrawn: v.Withdrawn,
		Title: v.Summary, Description: desc, Mitigations: mit,
		Severity: ds.PSRTSeverity(), CWEs: ds.CWEIDs, CWENames: ds.CWENameList(), Components: ds.Components, Platforms: ds.Platforms,
	}
	for _, s := range v.Severity {
		if s.Type == "CVSS_V3" {
			a.CVSSV3 = s.Score
		} else {
			a.CVSS = s.Score
		}
	}
	for _, r := range v.References {
		a.References = append(a.References, advisory.Reference{Type: r.Type, URL: r.URL})
	}
	for _, c := range v.Credits {
		a.Credits = append(a.Credits, advisory.Credit{Name: c.Name, Type: c.Type, Contact: c.Contact})
	}
	git := gitRangeOf(firstAffected(v))
	if git.Type == "" {
		git.Events = []osv.Event{{Introduced: "0"}} // facts alone: a range from "0" with no commit
	}
	if err := ownEvents(a, git.Events, sum); err != nil {
		return nil, nil, err
	}
	if sum.Source != verdict.Computed {
		return a, nil, nil
	}
	e := &lock.Entry{InputDigest: lock.InputDigest(a), Versions: v.Affected[0].Versions, Branches: sum.Branches}
	for _, ev := range git.Events {
		if ev.Fixed != "" {
			row := rowFixedBy(sum.Branches, ev.Fixed)
			e.Fixed = append(e.Fixed, lock.Fix{Commit: ev.Fixed, Branch: row.Branch, Source: lock.SourceAuthored, Tag: row.FixedIn})
		}
	}
	return a, e, nil
}

// ownSupported refuses what a build never writes, and reads the summary.
func ownSupported(v *osv.Vulnerability, p *product.Product) (ownSummary, error) {
	var sum ownSummary
	switch {
	case len(v.Related) > 0 || len(v.Upstream) > 0:
		return sum, fmt.Errorf("related/upstream identifiers are not written by a build")
	case len(v.Affected) > 1:
		return sum, fmt.Errorf("a built record has at most one affected entry")
	}
	ds := v.Specific()
	if err := databaseSpecific(ds, ownKeys...); err != nil {
		return sum, fmt.Errorf("%v (the keys a build writes)", err)
	}
	af := firstAffected(v)
	if gitRangeOf(af).Type != "GIT" && ds.VersionsSource != verdict.Authored {
		return sum, fmt.Errorf("a built record has a GIT range, unless its versions come from release facts alone")
	}
	if len(v.Affected) == 0 && p.Package != nil {
		return sum, fmt.Errorf("a built record of a package product has an affected entry")
	}
	if (len(v.Affected) > 0) && (af.Package == nil) != (p.Package == nil) || (af.Package != nil && (af.Package.Ecosystem != p.Package.Ecosystem || af.Package.Name != p.Package.Name)) {
		return sum, fmt.Errorf("affected[0].package is not product %s's", p.Name)
	}
	sum = ownSummary{Source: ds.VersionsSource, Branches: ds.Branches} // values checked by the reader (osv.DatabaseSpecific)
	if sum.Source == verdict.Unknown && len(af.Versions) > 0 {
		return sum, fmt.Errorf("affected[0].versions with unknown version data")
	}
	return sum, nil
}

// firstAffected is the record's affected entry (the zero entry when it
// lists none: release facts that reach no known release).
func firstAffected(v *osv.Vulnerability) osv.Affected {
	if len(v.Affected) == 0 {
		return osv.Affected{}
	}
	return v.Affected[0]
}

// gitRangeOf is the entry's GIT range (a package product's record also has
// an ECOSYSTEM range, derived from the summary).
func gitRangeOf(af osv.Affected) osv.Range {
	for _, r := range af.Ranges {
		if r.Type == "GIT" {
			return r
		}
	}
	return osv.Range{}
}

// ownEvents turns the GIT events back into branch entries, in their order:
// the first introduced is the advisory's, each fix is placed on the branch
// whose summary row names its commit; an authored summary's rows come back
// as release facts on those entries, or as entries of their own.
func ownEvents(a *advisory.Advisory, events []osv.Event, sum ownSummary) error {
	placed := map[int]bool{} // summary rows placed on an entry
	for i, ev := range events {
		switch {
		case ev.Limit != "":
			return fmt.Errorf("events[%d]: limit events are not written by a build", i)
		case ev.Introduced != "" && a.Introduced == "":
			a.Introduced = ev.Introduced
		case ev.Introduced != "":
			a.Branches = append(a.Branches, advisory.Branch{Introduced: ev.Introduced})
		case ev.Fixed != "":
			b := advisory.Branch{Fixed: ev.Fixed}
			if i := rowIndex(sum.Branches, ev.Fixed); i >= 0 {
				b.Branch = sum.Branches[i].Branch
				if sum.Source == verdict.Authored && !placed[i] {
					placed[i] = true
					lock.SetFacts(&b, sum.Branches[i])
				}
			}
			a.Branches = append(a.Branches, b)
		case ev.LastAffected != "":
			a.Branches = append(a.Branches, advisory.Branch{LastAffected: ev.LastAffected})
		}
	}
	if a.Introduced == "" {
		return fmt.Errorf("the GIT range has no introduced event")
	}
	if sum.Source != verdict.Authored {
		return nil
	}
	for i, row := range sum.Branches {
		if !placed[i] {
			b := advisory.Branch{Branch: row.Branch}
			lock.SetFacts(&b, row)
			a.Branches = append(a.Branches, b)
		}
	}
	return nil
}

// rowIndex is the index of the summary row fixed by commit, or -1.
func rowIndex(rows []lock.BranchResult, commit string) int {
	for i, r := range rows {
		if r.FixCommit == commit {
			return i
		}
	}
	return -1
}

func rowFixedBy(rows []lock.BranchResult, commit string) lock.BranchResult {
	if i := rowIndex(rows, commit); i >= 0 {
		return rows[i]
	}
	return lock.BranchResult{}
}

// splitDetails is the inverse of the record's details: the description,
// then the mitigations under their heading.
func splitDetails(details string) (desc, mitigations string) {
	sep := "\n\n" + osv.MitigationsHeading + "\n\n"
	if i := strings.LastIndex(details, sep); i >= 0 {
		return details[:i], details[i+len(sep):]
	}
	return details, ""
}
