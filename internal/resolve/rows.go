package resolve

import (
	"slices"

	"github.com/psf/advisory-builder/internal/lock"
)

// rows is the per-branch summary: main first, then each release series
// that is affected, holds a fix, or is listed in the products config,
// newest first. Without maintenance branches (pip), main holds every tag.
func (d *Index) rows(p *plan, res *Result) []lock.BranchResult {
	names := []string{"main"}
	if d.seriesMode {
		for s, tags := range d.series {
			if d.wantRow(s, tags, p, res) {
				names = append(names, s)
			}
		}
	}
	slices.SortFunc(names, branchOrder)
	var out []lock.BranchResult
	for _, n := range names {
		var tags []int
		if n != "main" || !d.seriesMode {
			tags = d.scope(n)
		}
		out = append(out, d.row(n, tags, p, res))
	}
	return out
}

func (d *Index) wantRow(s string, tags []int, p *plan, res *Result) bool {
	if _, listed := d.p.Branches[s]; listed {
		return true
	}
	for _, t := range tags {
		if res.Affected(t) {
			return true
		}
	}
	for _, f := range p.fixes {
		if f.branch == s {
			return true
		}
	}
	return false
}

// row summarises one branch over its tags (version order).
func (d *Index) row(name string, tags []int, p *plan, res *Result) lock.BranchResult {
	b := lock.BranchResult{Branch: name}
	last := -1
	for k, t := range tags {
		if res.Affected(t) {
			if b.FirstAffected == "" {
				b.FirstAffected = d.r.tags[t].Name
			}
			b.LastAffected = d.r.tags[t].Name
			last = k
		}
	}
	head, hasHead := d.heads[name]
	headTip := len(d.r.tags) + head
	var placed []uint32
	for _, f := range p.fixes {
		if f.branch == name {
			placed = append(placed, f.commit)
		}
	}
	switch {
	case last >= 0 && last+1 < len(tags):
		// a later release of the branch is not affected
		t := tags[last+1]
		b.Status, b.FixedIn = lock.StatusFixed, d.r.tags[t].Name
		b.FixCommit = d.fixIn(p, res, placed, t)
	case hasHead && !res.HeadAffected(head) && (last >= 0 || len(placed) > 0):
		// fixed on the branch, not released yet (or main's fix)
		b.Status = lock.StatusFixed
		b.FixCommit = d.fixIn(p, res, placed, headTip)
		b.FixedIn = d.firstFixedIn(name, b.FixCommit)
	case last < 0 && hasHead && res.HeadAffected(head):
		b.Status = lock.StatusUnfixed
	case len(placed) > 0:
		b.Status = lock.StatusFixed
		b.FixCommit = d.r.g.Hash(placed[0]).String()
		b.FixedIn = d.firstFixedIn(name, b.FixCommit)
	case last >= 0:
		b.Status = lock.StatusUnfixed
	default:
		b.Status = lock.StatusNotAffected
	}
	return b
}

// fixIn names the fix commit that makes tip t unaffected: a fix placed on
// the branch if one is in t, else any fix of the range in t.
func (d *Index) fixIn(p *plan, res *Result, placed []uint32, t int) string {
	for _, c := range placed {
		if d.r.Contains(c, t) {
			return d.r.g.Hash(c).String()
		}
	}
	for _, c := range p.rg.Fixed {
		if d.r.Contains(c, t) {
			return d.r.g.Hash(c).String()
		}
	}
	return ""
}

// firstFixedIn is the first release of the branch containing the fix.
func (d *Index) firstFixedIn(branch, commit string) string {
	if commit == "" {
		return ""
	}
	c, err := d.r.g.Lookup(commit)
	if err != nil {
		return ""
	}
	if t, ok := d.firstTag(c, d.scope(branch)); ok {
		return d.r.tags[t].Name
	}
	return ""
}
