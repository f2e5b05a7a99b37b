package pipeline

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/resolve"
)

// Summary writes the run's job summary as Markdown (for
// $GITHUB_STEP_SUMMARY): for a publish run the IDs assigned, the records
// added, updated and withdrawn, the versions changed and the drafts of new
// advisories; for a validation, per changed advisory the computed result
// of each branch, the discovered backports, the unfixed maintained
// branches and the resolver's findings, then the guards' dry run. Every
// value from a source is escaped or fenced.
func (r *Report) Summary(w io.Writer) {
	m := &md{w: w}
	if r.DryRun {
		m.line("## Pull request validation")
		m.para(fmt.Sprintf("The publish run rehearsed on `%s`: IDs assigned, every product resolved from the cached mirror, built, and the publish guards run against the published repository. Nothing was pushed.", short(r.Start)))
		r.changedSection(m)
		r.datesSection(m)
	} else {
		m.line("## Advisory pipeline")
		m.para(fmt.Sprintf("Database main at `%s` (attempt %d).", short(r.Start), r.Attempts))
		r.assignedSection(m)
	}
	r.publishSection(m)
	if !r.DryRun {
		r.versionsSection(m)
		r.draftsSection(m)
	}
}

// datesSection lists the pull request's commits whose committer dates
// main cannot take.
func (r *Report) datesSection(m *md) {
	if len(r.CommitDates) == 0 {
		return
	}
	m.line("### Commit dates: refused")
	m.para("`modified` is derived from when changes land on main; these commits would move it wrongly if fast-forwarded:")
	for _, p := range r.CommitDates {
		m.line("- " + cell(p))
	}
	m.line("")
}

func (r *Report) assignedSection(m *md) {
	if len(r.Assigned) == 0 {
		m.para("No placeholder IDs to assign.")
	} else {
		m.line("### IDs assigned")
		m.line("")
		m.row("Placeholder", "ID", "File")
		m.row("---", "---", "---")
		for _, a := range r.Assigned {
			m.row(a.From, a.To, r.relative(a.NewPath))
		}
		m.line("")
	}
	if r.DBCommit != "" {
		m.para(fmt.Sprintf("Renames, counter and resolution locks committed to main as `%s`.", short(r.DBCommit)))
	} else {
		m.para("The database needed no commit (IDs and locks were current).")
	}
}

func (r *Report) publishSection(m *md) {
	target := fmt.Sprintf("%s %s", cell(r.Remote), cell(r.Branch))
	switch {
	case r.Refused != nil:
		m.line("### Publish guards: refused")
		m.para("Against " + target + ", publishing this would be refused:")
		for _, p := range r.Refused {
			m.line("- " + cell(p.Message))
		}
		m.line("")
	case r.Published == nil:
		m.para("Not published (the run stopped before the publish step).")
	case !r.Published.Changed:
		m.para("### Publish\n\n" + target + " already holds this output: nothing to publish.")
	default:
		head := "### Published"
		if r.DryRun {
			head = "### Publish guards (dry run): pass"
		} else if r.Published.Commit != "" {
			head += fmt.Sprintf(" `%s`", short(r.Published.Commit))
		}
		m.line(head)
		m.line("")
		p := r.Published
		m.list("Added", p.Added)
		m.list("Updated", p.Updated)
		m.list("Withdrawn", p.Withdrawn)
		m.line(fmt.Sprintf("- Other files changed: %d", p.OtherFiles))
		m.line("")
	}
}

func (r *Report) versionsSection(m *md) {
	if r.Published == nil || len(r.Published.Versions) == 0 {
		return
	}
	m.line("### Affected versions changed")
	m.line("")
	m.row("Advisory", "Added", "Removed")
	m.row("---", "---", "---")
	for _, id := range sortedKeys(r.Published.Versions) {
		vc := r.Published.Versions[id]
		m.row(id, strings.Join(vc.Added, " "), strings.Join(vc.Removed, " "))
	}
	m.line("")
}

func (r *Report) draftsSection(m *md) {
	if len(r.Drafts) == 0 {
		return
	}
	m.line("### Drafts of the new advisories")
	m.line("")
	for _, d := range r.Drafts {
		m.line("#### " + cell(d.ID))
		m.line("")
		if d.Skipped != "" {
			m.para("No drafts: " + cell(d.Skipped))
			continue
		}
		m.details("Announcement e-mail", "text", d.Email)
		m.details("CVE record", "json", string(d.CVE))
	}
}

// changedSection is, per advisory the pull request touches, what the
// mirror says about it.
func (r *Report) changedSection(m *md) {
	r.productsSection(m)
	if len(r.Changed) == 0 {
		if len(r.ProductChanges) == 0 {
			m.para("No advisory source changed.")
		}
		return
	}
	for _, c := range r.Changed {
		head := "### " + cell(c.ID) + " (" + cell(c.Product) + ")"
		if c.From != "" {
			head = "### " + cell(c.From) + " → " + cell(c.ID) + " (" + cell(c.Product) + ", assigned on merge)"
		}
		m.line(head)
		m.line("")
		if c.Status == "D" {
			m.para("Removed in this pull request (a published record never disappears: the guards below decide).")
			continue
		}
		var e *lock.Entry
		if l := r.Locks[c.Product]; l != nil {
			e = l.Advisories[c.ID]
		}
		if e == nil {
			m.para("No resolution (the resolver gave none; see the log).")
			continue
		}
		r.entrySection(m, r.Products[c.Product], e, r.Findings[c.ID])
	}
}

func (r *Report) entrySection(m *md, p *product.Product, e *lock.Entry, findings diag.List) {
	m.para(fmt.Sprintf("Computed from the mirror: %d affected releases.", len(e.Versions)))
	m.row("Branch", "Status", "First affected", "Last affected", "Fixed in", "Fix commit")
	m.row("---", "---", "---", "---", "---", "---")
	for _, b := range e.Branches {
		m.row(b.Branch, b.Status, b.FirstAffected, b.LastAffected, b.FixedIn, short(b.FixCommit))
	}
	m.line("")
	var found []string
	for _, f := range e.Fixed {
		if f.Source != resolve.SourceAuthored {
			found = append(found, fmt.Sprintf("`%s` on %s (found by %s), first released in %s", short(f.Commit), cell(f.Branch), cell(f.Source), orNone(f.Tag)))
		}
	}
	m.list("Discovered backports", found)
	var unfixed []string
	for _, b := range e.Branches {
		if st := p.Branches[b.Branch]; b.Status == lock.StatusUnfixed && product.Maintained(st) {
			unfixed = append(unfixed, cell(b.Branch)+" ("+cell(st)+")")
		}
	}
	m.list("Unfixed maintained branches", unfixed)
	m.line("")
	notes := append([]string{}, e.Warnings...)
	for _, d := range findings {
		notes = append(notes, d.String())
	}
	if len(notes) > 0 {
		m.details("Resolver findings (cross-check against the authored facts, warnings)", "text", strings.Join(notes, "\n"))
	}
}

func orNone(s string) string {
	if s == "" {
		return "no release yet"
	}
	return cell(s)
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// relative is a path of the run's database checkout, relative to it.
func (r *Report) relative(p string) string {
	if rel, err := filepath.Rel(r.root, p); err == nil {
		return filepath.ToSlash(rel)
	}
	return p
}

// productsSection names the products whose record fields the pull request
// changes in advisories/products.yaml: every record of each is rebuilt.
func (r *Report) productsSection(m *md) {
	if len(r.ProductChanges) == 0 {
		return
	}
	m.line("### advisories/products.yaml")
	m.para("This pull request changes what every record of " + cell(strings.Join(r.ProductChanges, ", ")) +
		" carries (the repository, or the package's ecosystem, name or purl): each of those records is rebuilt and its `modified` moves to when the change lands on main.")
}
