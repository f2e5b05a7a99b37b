package verdict

import (
	"fmt"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
)

// crossEntry cross-checks one branch entry's facts.
type crossEntry struct {
	o           Order
	e           *lock.Entry
	b           advisory.Branch
	path        string
	affected    map[string]bool
	tags        []string
	authoredFix bool

	row       *lock.BranchResult // git's row for the entry's branch
	over      []string           // tags the facts call affected, git not
	under     []string           // tags of the branch git finds affected, the facts not
	out       []Disagreement
	disagrees bool
}

func (c *crossEntry) add(kind, field, format string, args ...any) {
	for _, d := range c.out {
		if d.Kind == kind {
			return
		}
	}
	c.out = append(c.out, Disagreement{Kind: kind, Field: c.path + "." + field, Message: fmt.Sprintf(format, args...)})
	if Disagrees(kind) {
		c.disagrees = true
	}
}

func (c *crossEntry) run() {
	for i := range c.e.Branches {
		if c.e.Branches[i].Branch == c.b.Branch {
			c.row = &c.e.Branches[i]
		}
	}
	fr := lock.FactRow(c.b)
	for _, t := range c.tags {
		in, ok := covers(c.o, fr, t)
		switch {
		case !ok:
		case in && !c.affected[t]:
			c.over = append(c.over, t)
		case !in && c.affected[t] && c.onBranch(t):
			c.under = append(c.under, t)
		}
	}
	if c.b.Status == lock.FactNotAffected {
		c.notAffected()
		return
	}
	c.status()
	c.upper()
	c.first()
	c.fixCommit()
}

func (c *crossEntry) onBranch(t string) bool {
	b, err := c.o.ReleaseBranch(t)
	return err == nil && b == c.b.Branch
}

func (c *crossEntry) fixed() bool {
	return c.b.FixedIn != "" || c.b.LastAffectedIn != "" || c.b.Status == lock.FactUnreleased
}

// upperField is the authored value that ends the range, and how it reads.
func (c *crossEntry) upperField() (field, says string) {
	switch {
	case c.b.FixedIn != "":
		return "fixed_in", "fixed_in says " + c.b.FixedIn
	case c.b.LastAffectedIn != "":
		return "last_affected_in", "last_affected_in says " + c.b.LastAffectedIn
	}
	return "status", "status says " + c.b.Status
}

func (c *crossEntry) notAffected() {
	var hit []string
	for _, t := range c.tags {
		if c.affected[t] && c.onBranch(t) {
			hit = append(hit, t)
		}
	}
	if len(hit) > 0 {
		c.add(KindNotAffected, "status", "status says not-affected, but git finds %d release%s of %s affected (%s)", len(hit), plural(len(hit)), c.b.Branch, span(hit))
	}
}

// status compares fixed against unfixed.
func (c *crossEntry) status() {
	r := c.row
	switch {
	case r == nil:
	case c.fixed() && r.Status == lock.StatusUnfixed:
		field, says := c.upperField()
		newest := r.LastAffected
		if newest == "" {
			newest = "its head"
		}
		c.add(KindFixedButUnfixed, field, "%s, but git finds %s unfixed: %s is affected and no fix reaches it (%s)", says, c.b.Branch, newest, c.fixCommits())
	case c.b.Status == lock.FactUnfixed && r.Status == lock.StatusFixed && r.FixCommit != "":
		c.add(KindUnfixedButFixed, "status", "status says unfixed, but fix %s is on %s (%s)", short(r.FixCommit), c.b.Branch, firstIn(r))
	}
}

// upper finds the fix release said too early or too late.
func (c *crossEntry) upper() {
	if !c.fixed() || (c.row != nil && c.row.Status == lock.StatusUnfixed) {
		return
	}
	field, says := c.upperField()
	r := c.row
	for _, t := range c.over {
		if c.onBranch(t) && r != nil && r.LastAffected != "" && c.after(t, r.LastAffected) {
			c.add(KindFixedLater, field, "%s, but %s is not affected: fix %s is first contained in %s", says, t, short(r.FixCommit), orUnreleased(r.FixedIn))
			break
		}
	}
	for _, t := range c.under {
		if c.b.FirstAffected == "0" || !c.after(c.b.FirstAffected, t) {
			if r != nil && r.FixedIn != "" {
				c.add(KindFixedEarlier, field, "%s, but %s is affected: fix %s is first contained in %s", says, t, short(r.FixCommit), r.FixedIn)
			} else {
				c.add(KindFixedEarlier, field, "%s, but %s is affected and no release of %s holds the fix yet", says, t, c.b.Branch)
			}
			break
		}
	}
}

// first finds a first affected release said too early or too late, and
// releases of other branches the range claims.
func (c *crossEntry) first() {
	r := c.row
	gitFirst := "no release of " + c.b.Branch + " is affected"
	if r != nil && r.FirstAffected != "" {
		gitFirst = "git's first affected release of " + c.b.Branch + " is " + r.FirstAffected
	}
	for _, t := range c.under {
		if c.b.FirstAffected != "0" && c.after(c.b.FirstAffected, t) {
			c.add(KindFirstAffected, "first_affected", "first_affected says %s, but %s is affected (%s)", c.b.FirstAffected, t, gitFirst)
			break
		}
	}
	for _, t := range c.over {
		onB := c.onBranch(t)
		switch {
		case onB && (r == nil || r.FirstAffected == "" || c.after(r.FirstAffected, t)):
			c.add(KindFirstAffected, "first_affected", "first_affected says %s, but %s is not affected (%s)", c.b.FirstAffected, t, gitFirst)
		case !onB && c.b.FirstAffected == "0":
			c.add(KindFirstAffected, "first_affected", `first_affected says 0 (every earlier release, older branches included), but git finds %s not affected`, t)
		case r != nil && r.LastAffected != "" && !c.after(t, r.LastAffected):
			c.add(KindHole, c.upperOrFirst(), "git finds %s not affected, inside the range the facts say is affected", t)
		}
	}
}

func (c *crossEntry) upperOrFirst() string {
	if f, _ := c.upperField(); f != "status" {
		return f
	}
	return "first_affected"
}

// fixCommit reports facts that say fixed on a branch without a fix commit.
func (c *crossEntry) fixCommit() {
	if c.authoredFix || !c.fixed() {
		return
	}
	for _, f := range c.e.Fixed {
		if f.Branch == c.b.Branch {
			c.add(KindBackportFound, "branch", "branch %s has release facts but no fix commit; backport discovery found %s (by %s)%s: add fixed: %s to this entry",
				c.b.Branch, short(f.Commit), f.Source, taggedIn(f.Tag), f.Commit)
			return
		}
	}
	c.add(KindBackportNone, "branch", "branch %s has release facts saying it is fixed, but no fix commit, and backport discovery found none on %s: add the fix commit", c.b.Branch, c.b.Branch)
}

// after reports whether release x comes after y.
func (c *crossEntry) after(x, y string) bool {
	v, ok := cmp(c.o, x, y)
	return ok && v > 0
}

func short(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	if h == "" {
		return "(unknown)"
	}
	return h
}

func firstIn(r *lock.BranchResult) string {
	if r.FixedIn == "" {
		return "in no release yet"
	}
	return "first contained in " + r.FixedIn
}

func orUnreleased(tag string) string {
	if tag == "" {
		return "no release yet"
	}
	return tag
}

func taggedIn(tag string) string {
	if tag == "" {
		return ", in no release yet"
	}
	return ", first contained in " + tag
}

func span(tags []string) string {
	if len(tags) == 1 {
		return tags[0]
	}
	return tags[0] + " to " + tags[len(tags)-1]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// fixCommits names the fix commits behind the computed result: each with
// its branch, or that there is none.
func (c *crossEntry) fixCommits() string {
	if len(c.e.Fixed) == 0 {
		return "the advisory gives no fix commit at all"
	}
	var parts []string
	for _, f := range c.e.Fixed {
		parts = append(parts, short(f.Commit)+" on "+orUnplaced(f.Branch))
	}
	return "fix commits: " + strings.Join(parts, ", ") + "; none on " + c.b.Branch
}

func orUnplaced(branch string) string {
	if branch == "" {
		return "no branch"
	}
	return branch
}
