package osvimport

import (
	"fmt"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
)

// ranges maps the package's ranges: GIT events as commits (addEvent), each
// ECOSYSTEM introduced..fixed (or ..last_affected) pair as the release facts
// of the branch its upper bound is a release of. Without a GIT introduced
// event, introduced is "0" when a range starts at "0", and also otherwise,
// with a note: over-stating the commits affected fails closed.
func (c *converted) ranges(af osv.Affected) error {
	eco := false
	for i, r := range af.Ranges {
		where := fmt.Sprintf("affected[0].ranges[%d]", i)
		switch r.Type {
		case "GIT":
			if err := c.gitRange(where, r); err != nil {
				return err
			}
		case "ECOSYSTEM":
			eco = true
			if err := c.ecosystemRange(where, r); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: a %s range is not supported; only GIT and ECOSYSTEM", where, r.Type)
		}
	}
	if !eco {
		return fmt.Errorf("affected[0] has no ECOSYSTEM range; a %s record states its affected releases", c.p.Name)
	}
	if len(af.Versions) > 0 {
		c.notef("the record's %d listed versions are not kept: the build lists them from the resolution", len(af.Versions))
	}
	if c.a.Introduced == "" {
		c.a.Introduced = "0"
		if first := c.firstAffected(); first != "0" {
			c.notef("the record says %s was first affected, but names no introducing commit: introduced is \"0\" (every commit before the fix) until someone finds it", first)
		}
	}
	return nil
}

func (c *converted) gitRange(where string, r osv.Range) error {
	if strings.TrimSuffix(r.Repo, "/") != strings.TrimSuffix(c.p.Repo, "/") {
		c.notef("%s is on %q, not %s: its commits are kept as commits of %s; `advisory resolve` checks that they are there", where, r.Repo, c.p.Repo, c.p.Repo)
	}
	for i, e := range r.Events {
		if err := addEvent(c.a, e); err != nil {
			return fmt.Errorf("%s.events[%d]: %v", where, i, err)
		}
	}
	return nil
}

// ecosystemRange pairs the events: introduced starts a range, fixed or
// last_affected ends it; a range left open is unfixed.
func (c *converted) ecosystemRange(where string, r osv.Range) error {
	var open *advisory.Branch
	for i, e := range r.Events {
		at := fmt.Sprintf("%s.events[%d]", where, i)
		if n := countSet(e); n != 1 {
			return fmt.Errorf("%s: an event must have exactly one of introduced, fixed, last_affected (has %d)", at, n)
		}
		switch {
		case e.Limit != "":
			return fmt.Errorf("%s: limit events are not supported", at)
		case e.Introduced != "":
			if open == nil { // a second introduced inside an open range adds nothing
				open = &advisory.Branch{FirstAffected: e.Introduced}
			}
		case open == nil:
			return fmt.Errorf("%s: a range must start with an introduced event", at)
		case e.Fixed != "":
			open.FixedIn = e.Fixed
			if err := c.addFacts(at, *open, e.Fixed); err != nil {
				return err
			}
			open = nil
		default:
			open.LastAffectedIn = e.LastAffected
			if err := c.addFacts(at, *open, e.LastAffected); err != nil {
				return err
			}
			open = nil
		}
	}
	if open != nil {
		open.Status = lock.FactUnfixed // a range with no end: unfixed from its first release
		return c.addFacts(where, *open, "")
	}
	return nil
}

// addFacts puts one range on the branch its upper bound (else its first
// release) belongs to. A range the facts cannot state refuses the record:
// dropping it would make the releases it names read as not affected.
func (c *converted) addFacts(at string, b advisory.Branch, upper string) error {
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("%s: the affected range %s cannot be kept as release facts: %s; nothing imported (write this advisory by hand)", at, rangeText(b), fmt.Sprintf(format, args...))
	}
	if upper == "" {
		upper = b.FirstAffected
	}
	for _, v := range []string{b.FirstAffected, b.FixedIn, b.LastAffectedIn} {
		if v != "" && v != "0" {
			if err := c.p.CheckRelease(v); err != nil {
				return refuse("%q is not a release of %s", v, c.p.Title)
			}
		}
	}
	br := "main"
	if upper != "0" {
		var err error
		if br, err = c.p.ReleaseBranch(upper); err != nil {
			return refuse("%v", err)
		}
	}
	b.Branch = br
	for _, x := range c.a.Branches {
		if x.Branch == br && x.HasFacts() {
			return refuse("branch %s already has the range %s, and the format holds one range per branch", br, rangeText(x))
		}
	}
	c.a.Branches = append(c.a.Branches, b)
	return nil
}

// firstAffected is the first release of the oldest fact range, or "0".
func (c *converted) firstAffected() string {
	for _, b := range c.a.Branches {
		if b.FirstAffected == "0" {
			return "0"
		}
	}
	for _, b := range c.a.Branches {
		if b.FirstAffected != "" {
			return b.FirstAffected
		}
	}
	return "0"
}

func rangeText(b advisory.Branch) string {
	switch {
	case b.FixedIn != "":
		return b.FirstAffected + " < " + b.FixedIn
	case b.LastAffectedIn != "":
		return b.FirstAffected + " <= " + b.LastAffectedIn
	}
	return ">= " + b.FirstAffected
}

func countSet(e osv.Event) int {
	n := 0
	for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if s != "" {
			n++
		}
	}
	return n
}
