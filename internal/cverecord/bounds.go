package cverecord

import (
	"fmt"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/product"
)

// bounds turns the record's affected version ranges into authored release
// facts, one branch entry per range: version -> first_affected ("0" stays
// "0"), lessThan -> fixed_in, lessThanOrEqual -> last_affected_in, on the
// branch the upper bound is a release of. A range the facts cannot state
// (another status, no upper bound, a version that is not a release of the
// product) goes to the notes with a warning. A second affected range on one
// branch refuses the record: the facts hold one range per branch, and
// dropping it would make the releases it names read as not affected.
func (im *Imported) bounds(af *Affected, p *product.Product) error {
	for i, v := range af.Versions {
		where := fmt.Sprintf("affected version range %d (%s)", i+1, describeRange(v))
		if msg := inverted(v, p); msg != "" {
			return fmt.Errorf("%s: %s; nothing written (correct the record or write this advisory by hand)", where, msg)
		}
		b, msg := factOf(v, p)
		if msg != "" {
			im.warnf("%s not kept as release facts: %s", where, msg)
			continue
		}
		if msg := im.addFacts(b); msg != "" {
			return fmt.Errorf("%s cannot be kept as release facts: %s; nothing written (write this advisory by hand)", where, msg)
		}
	}
	return nil
}

// inverted says why a range's upper bound is not above its start, if it is
// not: lessThan at or below version, or lessThanOrEqual below it. Such a
// range names no release, and written as facts it would read as one.
// Bounds that are not releases of p are left to factOf.
func inverted(v Version, p *product.Product) string {
	if v.Version == "" || v.Version == "0" {
		return ""
	}
	for _, b := range []struct {
		name, bound string
		strict      bool
	}{{"lessThan", v.LessThan, true}, {"lessThanOrEqual", v.LessThanOrEqual, false}} {
		if b.bound == "" {
			continue
		}
		c, err := p.CompareReleases(b.bound, v.Version)
		if err != nil {
			continue
		}
		if c < 0 || (b.strict && c == 0) {
			return fmt.Sprintf("%s %q is not above version %q, so the range holds no release", b.name, clip(b.bound, 60), clip(v.Version, 60))
		}
	}
	return ""
}

// factOf is the branch entry of one range, or why there is none.
func factOf(v Version, p *product.Product) (advisory.Branch, string) {
	if v.Status != "affected" {
		return advisory.Branch{}, fmt.Sprintf("status %q; only affected ranges become facts", clip(v.Status, 40))
	}
	b := advisory.Branch{FirstAffected: v.Version, FixedIn: v.LessThan, LastAffectedIn: v.LessThanOrEqual}
	if b.FirstAffected == "" {
		b.FirstAffected = "0"
	}
	upper := b.FixedIn
	switch {
	case b.FixedIn != "" && b.LastAffectedIn != "":
		return b, "it has both lessThan and lessThanOrEqual"
	case upper == "":
		upper = b.LastAffectedIn
	}
	if upper == "" {
		if b.FirstAffected == "0" {
			return b, "it has no upper bound"
		}
		upper, b.LastAffectedIn = b.FirstAffected, b.FirstAffected // one affected version
	}
	for _, s := range []string{b.FirstAffected, b.FixedIn, b.LastAffectedIn} {
		if s == "" || s == "0" {
			continue
		}
		if err := p.CheckRelease(s); err != nil {
			return b, fmt.Sprintf("%q is not a release of %s: %v", clip(s, 60), p.Title, err)
		}
	}
	br, err := p.ReleaseBranch(upper)
	if err != nil {
		return b, err.Error()
	}
	b.Branch = br
	return b, ""
}

// addFacts puts the facts on the entry of their branch (a fix placed there
// by a "[3.12]" hint), or on a new entry; a branch holds one range.
func (im *Imported) addFacts(f advisory.Branch) string {
	bs := im.Advisory.Branches
	for i := range bs {
		if bs[i].Branch != f.Branch {
			continue
		}
		if bs[i].HasFacts() {
			return fmt.Sprintf("branch %s already has the range %s from the record; the format holds one range per branch", f.Branch, factText(bs[i]))
		}
		bs[i].FirstAffected, bs[i].FixedIn, bs[i].LastAffectedIn = f.FirstAffected, f.FixedIn, f.LastAffectedIn
		return ""
	}
	im.Advisory.Branches = append(bs, f)
	return ""
}

func describeRange(v Version) string {
	s := fmt.Sprintf("version %q", clip(v.Version, 60))
	if v.LessThan != "" {
		s += fmt.Sprintf(" lessThan %q", clip(v.LessThan, 60))
	}
	if v.LessThanOrEqual != "" {
		s += fmt.Sprintf(" lessThanOrEqual %q", clip(v.LessThanOrEqual, 60))
	}
	return s + fmt.Sprintf(" status %q", clip(v.Status, 40))
}

func factText(b advisory.Branch) string {
	if b.FixedIn != "" {
		return b.FirstAffected + " < " + b.FixedIn
	}
	return b.FirstAffected + " <= " + b.LastAffectedIn
}
