package resolve

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/gitgraph"
)

// discover adds the backports of the authored fixes: commits whose
// cherry-pick trailer names a known fix, and the commits a known fix's own
// trailer names (repeatedly, for backports of backports), then
// "[X.Y] ... (GH-N)" titles naming a fix's pull request.
func (d *Index) discover(p *plan, a *advisory.Advisory) {
	if d.msgs == nil {
		return
	}
	known := map[uint32]bool{}
	authoredOn := map[string]bool{}
	prs := map[int]bool{}
	for _, f := range p.fixes {
		known[f.commit] = true
		authoredOn[f.branch] = true
		if n := gitgraph.PRNumber(d.title(f.commit)); n > 0 {
			prs[n] = true
		}
		for _, n := range gitgraph.GHRefs(d.title(f.commit)) {
			prs[n] = true // an authored backport names the main pull request
		}
		if r, ok := d.reverted(f.commit, 0); ok {
			p.warnings = append(p.warnings, fmt.Sprintf("the fix %s on %s was reverted by %s (%q); check the advisory's fix commits",
				short(d, f.commit), f.branch, short(d, r), d.title(r)))
		}
	}
	for _, b := range a.Branches {
		if b.PR > 0 {
			prs[b.PR] = true
		}
	}
	var found []placedFix
	consider := func(c uint32, source string) {
		if known[c] {
			return
		}
		known[c] = true
		branch := d.Place(c)
		if r, ok := d.reverted(c, 0); ok {
			p.warnings = append(p.warnings, fmt.Sprintf("the backport %s to %s (found by %s) was reverted by %s; it is not counted as a fix",
				short(d, c), branch, source, short(d, r)))
			return
		}
		if authoredOn[branch] {
			return
		}
		found = append(found, placedFix{c, branch, source})
	}
	queue := slices.Clone(p.fixes)
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		// commits picked from this fix, and the commit this fix was picked from
		related := slices.Clone(d.pickedFrom[d.r.g.Hash(f.commit).String()])
		for _, src := range d.msgs.Picked[f.commit] {
			if c, err := d.r.g.Lookup(src); err == nil {
				related = append(related, c)
			}
		}
		for _, c := range related {
			before := len(found)
			consider(c, SourceTrailer)
			queue = append(queue, found[before:]...)
		}
	}
	for _, n := range sortedKeys(prs) {
		for _, c := range d.backports(n) {
			consider(c, SourceTitle)
		}
	}
	p.fixes = append(p.fixes, found...)
	d.discoverByPatch(p)
}

// discoverByPatch looks at the commits whose titles name the same issue as
// a known fix ("gh-123067") on branches that have no fix yet: one with the
// same patch identity as a known fix is a backport (source "patch-id"); one
// on an X.Y branch with another patch is reported for review.
func (d *Index) discoverByPatch(p *plan) {
	if d.PatchID == nil {
		return
	}
	covered := map[string]bool{}
	for _, f := range p.fixes {
		covered[f.branch] = true
	}
	fixes := slices.Clone(p.fixes)
	cands := d.patchCandidates(fixes, covered)
	if d.PrefetchPatches != nil && len(cands) > 0 {
		commits := make([]uint32, 0, len(cands)+len(fixes))
		for _, f := range fixes {
			commits = append(commits, f.commit)
		}
		for _, c := range cands {
			commits = append(commits, c.commit)
		}
		_ = d.PrefetchPatches(commits) // on failure PatchID fails and says why
	}
	var skipped []string
	var skipErr error
	for _, c := range cands {
		if covered[c.branch] {
			continue // a match on this branch came first
		}
		match, err := d.samePatch(c.commit, fixes)
		switch {
		case err != nil:
			skipped = append(skipped, short(d, c.commit)+" on "+c.branch)
			if skipErr == nil {
				skipErr = err
			}
		case match:
			p.fixes = append(p.fixes, placedFix{c.commit, c.branch, SourcePatchID})
			covered[c.branch] = true
		default:
			p.warnings = append(p.warnings, fmt.Sprintf("possible backport %s on %s (%q names %s but its patch differs); add it to the advisory if it fixes the issue",
				short(d, c.commit), c.branch, d.title(c.commit), c.ref))
		}
	}
	if len(skipped) > 0 {
		p.warnings = append(p.warnings, fmt.Sprintf("patch-id matching was skipped for %s (same issue, no fix on the branch yet): %s",
			strings.Join(skipped, ", "), skipReason(skipErr)))
	}
}

// candidate is a commit naming a fix's issue, on a branch without a fix.
type candidate struct {
	commit      uint32
	branch, ref string
}

// patchCandidates lists, by issue reference, the commits whose titles name
// the issue of a fix, placed on an X.Y branch not covered, not reverted.
func (d *Index) patchCandidates(fixes []placedFix, covered map[string]bool) []candidate {
	known := map[uint32]bool{}
	refs := map[string]bool{}
	for _, f := range fixes {
		known[f.commit] = true
		for _, r := range gitgraph.IssueRefs(d.title(f.commit)) {
			refs[r] = true
		}
	}
	var out []candidate
	for _, ref := range sortedStrings(refs) {
		for _, c := range d.issueIndex(ref) {
			if known[c] {
				continue
			}
			branch := d.Place(c)
			if covered[branch] || branch == "" || branch == "main" {
				continue
			}
			if _, reverted := d.reverted(c, 0); reverted {
				continue
			}
			known[c] = true
			out = append(out, candidate{c, branch, ref})
		}
	}
	return out
}

// samePatch tells whether candidate c has the patch identity of one of the
// fixes; an error means it could not be told (a patch unreadable, as in a
// partial clone whose promisor remote is unreachable).
func (d *Index) samePatch(c uint32, fixes []placedFix) (bool, error) {
	id, err := d.patchID(c)
	if err != nil {
		return false, err
	}
	var first error
	for _, f := range fixes {
		fid, err := d.patchID(f.commit)
		if err == nil && id == fid {
			return true, nil
		}
		if first == nil {
			first = err
		}
	}
	return false, first
}

// skipReason says why patch identities could not be compared, in words that
// do not depend on the machine (the lock keeps them).
func skipReason(err error) string {
	var ou *gitgraph.ObjectsUnavailableError
	if errors.As(err, &ou) {
		return "this partial clone lacks their trees or blobs and git could not fetch them from its promisor remote (make the remote reachable, or resolve from a full clone)"
	}
	return err.Error()
}

func sortedStrings(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedKeys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
