package resolve

import (
	"fmt"
	"slices"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
)

// Fix sources.
const (
	SourceAuthored = lock.SourceAuthored
	SourceTrailer  = lock.SourceTrailer
	SourceTitle    = lock.SourceTitle
	SourcePatchID  = lock.SourcePatchID
)

// plan is one advisory's inputs, looked up, with its discovered backports.
type plan struct {
	a        *advisory.Advisory
	rg       Range
	fixes    []placedFix
	warnings []string
}

type placedFix struct {
	commit uint32
	branch string
	source string
}

// Entries resolves advisories (all of the database's product) in one pass
// and returns their lock entries by ID. Commits missing from the repository
// are diagnostics (errors); their advisories get no entry.
func (d *Index) Entries(advs []*advisory.Advisory) (map[string]*lock.Entry, diag.List) {
	var plans []*plan
	var diags diag.List
	for _, a := range advs {
		p, ds := d.plan(a)
		diags = append(diags, ds...)
		if p != nil {
			plans = append(plans, p)
		}
	}
	ranges := make([]Range, len(plans))
	for k, p := range plans {
		ranges[k] = p.rg
	}
	results := d.r.ResolveAll(ranges)
	out := map[string]*lock.Entry{}
	for k, p := range plans {
		out[p.a.ID] = d.entry(p, results[k])
	}
	return out, diags
}

func (d *Index) lookup(a *advisory.Advisory, field, hash string, diags *diag.List) (uint32, bool) {
	c, err := d.r.g.Lookup(hash)
	if err != nil {
		pos := a.Pos.Of(field)
		*diags = append(*diags, diag.Diagnostic{File: a.Path, Line: pos.Line, Col: pos.Col, Severity: diag.Error,
			Rule: "resolve", Message: fmt.Sprintf("%s: %v", field, err)})
		return 0, false
	}
	return c, true
}

// plan looks up an advisory's commits and discovers its backports.
func (d *Index) plan(a *advisory.Advisory) (*plan, diag.List) {
	var diags diag.List
	p := &plan{a: a}
	addIntro := func(field, h string) {
		if h == "" {
			return
		}
		if h == "0" {
			p.rg.Introduced = append(p.rg.Introduced, Origin)
			return
		}
		if c, ok := d.lookup(a, field, h, &diags); ok {
			p.rg.Introduced = append(p.rg.Introduced, c)
		}
	}
	addIntro("introduced", a.Introduced)
	var lastAffected []uint32
	for k, b := range a.Branches {
		addIntro(fmt.Sprintf("branches[%d].introduced", k), b.Introduced)
		if b.Fixed != "" {
			if c, ok := d.lookup(a, fmt.Sprintf("branches[%d].fixed", k), b.Fixed, &diags); ok {
				branch := b.Branch
				placed := d.Place(c)
				if branch == "" {
					branch = placed
				} else if placed != "" && placed != "main" && branch != "main" && placed != branch {
					p.warnings = append(p.warnings, fmt.Sprintf("branches[%d]: the fix %s is on %s by its history, not on %s as written", k, short(d, c), placed, branch))
				}
				p.fixes = append(p.fixes, placedFix{c, branch, SourceAuthored})
			}
		}
		if b.LastAffected != "" {
			if c, ok := d.lookup(a, fmt.Sprintf("branches[%d].last_affected", k), b.LastAffected, &diags); ok {
				lastAffected = append(lastAffected, c)
			}
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	d.discover(p, a)
	d.sortFixes(p)
	for _, f := range p.fixes {
		p.rg.Fixed = append(p.rg.Fixed, f.commit)
		p.rg.FixedFrom = append(p.rg.FixedFrom, -1)
	}
	for _, l := range lastAffected {
		for _, ch := range d.r.g.Children(l) {
			p.rg.Fixed = append(p.rg.Fixed, ch)
			p.rg.FixedFrom = append(p.rg.FixedFrom, int64(l))
		}
	}
	return p, diags
}

func (d *Index) sortFixes(p *plan) {
	slices.SortStableFunc(p.fixes, func(x, y placedFix) int {
		if c := branchOrder(x.branch, y.branch); c != 0 {
			return c
		}
		return int(x.commit) - int(y.commit)
	})
}

func short(d *Index, c uint32) string { return d.r.g.Hash(c).String()[:12] }

// entry builds the lock entry of a resolved plan.
func (d *Index) entry(p *plan, res *Result) *lock.Entry {
	e := &lock.Entry{InputDigest: lock.InputDigest(p.a), Versions: res.Versions(), Fixed: []lock.Fix{}}
	newest := int64(-1)
	for t, tag := range d.r.tags {
		if res.Affected(t) {
			newest = max(newest, tag.Time)
		}
	}
	for _, f := range p.fixes {
		fx := lock.Fix{Commit: d.r.g.Hash(f.commit).String(), Branch: f.branch, Source: f.source}
		if t, ok := d.firstTag(f.commit, d.scope(f.branch)); ok {
			fx.Tag = d.r.tags[t].Name
		}
		e.Fixed = append(e.Fixed, fx)
	}
	e.Branches = d.rows(p, res)
	for _, b := range e.Branches {
		if t, ok := d.tagIndex[b.FixedIn]; ok {
			newest = max(newest, d.r.tags[t].Time)
		}
		if b.Status == lock.StatusUnfixed && d.maintained(b.Branch) {
			p.warnings = append(p.warnings, unfixedWarning(b, d.p.Branches[b.Branch]))
		}
	}
	if newest >= 0 {
		e.Changed = time.Unix(newest, 0).UTC().Format(time.RFC3339)
	}
	e.Warnings = p.warnings
	return e
}

func unfixedWarning(b lock.BranchResult, status string) string {
	if b.LastAffected != "" {
		return fmt.Sprintf("branch %s (%s) is still unfixed: its newest release %s is affected and no fix is known on the branch", b.Branch, status, b.LastAffected)
	}
	return fmt.Sprintf("branch %s (%s) is still unfixed: its head is affected and no fix is known on the branch", b.Branch, status)
}

func (d *Index) maintained(branch string) bool {
	s, ok := d.p.Branches[branch]
	return ok && product.Maintained(s)
}

// scope returns the tags a branch's fixed-in release is looked for in: the
// series' own tags, or every tag for main.
func (d *Index) scope(branch string) []int {
	if branch == "main" || !d.seriesMode {
		all := make([]int, len(d.r.tags))
		for i := range all {
			all[i] = i
		}
		return all
	}
	return d.series[branch]
}

// firstTag returns the first tag in scope (version order) containing c.
func (d *Index) firstTag(c uint32, scope []int) (int, bool) {
	row := d.r.tipsOf(c)
	for _, t := range scope {
		if row.has(t) {
			return t, true
		}
	}
	return 0, false
}
