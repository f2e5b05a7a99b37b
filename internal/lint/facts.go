package lint

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
)

// checkFacts checks the authored release facts of each branch entry: the
// status is known, the fields that exclude each other are not combined, the
// versions are releases of the product, the bounds belong to the entry's
// branch and are ordered, and two entries for one branch do not disagree.
func checkFacts(c *checker) {
	p := c.opts.Products[c.a.Product]
	first := map[string]int{}
	for i, b := range c.a.Branches {
		path := fmt.Sprintf("branches[%d]", i)
		checkAcceptGit(c, path, b)
		if !b.HasFacts() {
			continue
		}
		if !factShape(c, path, b) {
			continue
		}
		factVersions(c, p, path, b)
		if j, dup := first[b.Branch]; dup && !sameFacts(c.a.Branches[j], b) {
			c.errorf("facts", path+".branch", "branch %s's release facts are also given in branches[%d], differently; keep one entry of facts per branch", b.Branch, j)
		} else if !dup {
			first[b.Branch] = i
		}
	}
}

// factShape checks which facts are combined; false when the entry is too
// broken to check its versions.
func factShape(c *checker, path string, b advisory.Branch) bool {
	ok := true
	bad := func(field, format string, args ...any) {
		c.errorf("facts", path+"."+field, format, args...)
		ok = false
	}
	switch {
	case b.Status != "" && !lock.ValidFact(b.Status):
		bad("status", "status %q is not one of %s", b.Status, strings.Join(lock.FactStatuses(), ", "))
	case b.Status != "" && b.FixedIn != "":
		bad("status", "status %s together with fixed_in; a fixed_in release means the branch is fixed: remove status", b.Status)
	case b.Status != "" && b.LastAffectedIn != "":
		bad("status", "status %s together with last_affected_in; a last affected release means the branch is fixed: remove status", b.Status)
	case b.FixedIn != "" && b.LastAffectedIn != "":
		bad("last_affected_in", "fixed_in together with last_affected_in; give one bound (fixed_in when the fixed release is known)")
	case b.Status == lock.FactNotAffected && b.FirstAffected != "":
		bad("first_affected", "first_affected on a not-affected branch; remove it (not-affected means no release of the branch is affected)")
	case b.Status == lock.FactUnfixed && b.Fixed != "":
		bad("status", "status unfixed, but the entry names the fix commit %s; write status: unreleased when the fix is not released yet", b.Fixed)
	case b.Status != lock.FactNotAffected && b.FirstAffected == "":
		bad("branch", `release facts without first_affected; add first_affected: the branch's first affected release, or "0" when every earlier release is affected`)
	case b.Status == "" && b.FixedIn == "" && b.LastAffectedIn == "":
		bad("first_affected", "first_affected alone does not say where the range ends; add fixed_in, last_affected_in, or status: unfixed or unreleased")
	}
	return ok
}

// factVersions checks that the versions are releases of the product, that
// the upper bound belongs to the entry's branch and that the range is not
// empty.
func factVersions(c *checker, p *product.Product, path string, b advisory.Branch) {
	title := "the product"
	if p != nil {
		title = p.Title
	}
	parses := func(field, v string) bool {
		if err := p.CheckRelease(v); err != nil {
			c.errorf("facts", path+"."+field, "%s %q is not a release of %s: %v", field, v, title, err)
			return false
		}
		if strings.HasPrefix(v, "v") {
			c.errorf("facts", path+"."+field, "%s %q: write the release without the tag's v (%s), as the CVE record does", field, v, v[1:])
			return false
		}
		return true
	}
	firstOK := b.FirstAffected == "0" || b.FirstAffected == "" || parses("first_affected", b.FirstAffected)
	for _, f := range []struct{ key, v string }{{"fixed_in", b.FixedIn}, {"last_affected_in", b.LastAffectedIn}} {
		if f.v == "" || !parses(f.key, f.v) {
			continue
		}
		if br, err := p.ReleaseBranch(f.v); err != nil {
			c.errorf("facts", path+"."+f.key, "%v", err)
		} else if br != b.Branch {
			c.errorf("facts", path+"."+f.key, "%s %s is a release of branch %s, not of %s; move it to an entry with branch: %q", f.key, f.v, br, b.Branch, br)
		}
		if !firstOK || b.FirstAffected == "0" {
			continue
		}
		cmp, _ := p.CompareReleases(b.FirstAffected, f.v)
		switch {
		case f.key == "fixed_in" && cmp >= 0:
			c.errorf("facts", path+".first_affected", "first_affected %s is not before fixed_in %s: the range is empty; fix one of them", b.FirstAffected, f.v)
		case f.key == "last_affected_in" && cmp > 0:
			c.errorf("facts", path+".first_affected", "first_affected %s is after last_affected_in %s: the range is empty; fix one of them", b.FirstAffected, f.v)
		}
	}
}

func sameFacts(x, y advisory.Branch) bool {
	return x.FirstAffected == y.FirstAffected && x.FixedIn == y.FixedIn && x.LastAffectedIn == y.LastAffectedIn && x.Status == y.Status
}

// MaxAcceptGit bounds the accept_git statement.
const MaxAcceptGit = 300

// checkAcceptGit: the statement that git is right answers a disagreement
// with the entry's release facts, so it needs facts, and says why in one
// line.
func checkAcceptGit(c *checker, path string, b advisory.Branch) {
	switch s := b.AcceptGit; {
	case s == "":
	case !b.HasFacts():
		c.errorf("facts", path+".accept_git", "accept_git on an entry without release facts; it accepts the computed resolution where it disagrees with this entry's facts: add them (first_affected with fixed_in, last_affected_in or status) or remove it")
	case strings.ContainsAny(s, "\r\n"):
		c.errorf("facts", path+".accept_git", "accept_git must be one line: why the computed resolution is right on %s", b.Branch)
	case utf8.RuneCountInString(s) > MaxAcceptGit:
		c.errorf("facts", path+".accept_git", "accept_git is %d characters, over %d; say in one line why the computed resolution is right", utf8.RuneCountInString(s), MaxAcceptGit)
	case strings.TrimSpace(s) == "":
		c.errorf("facts", path+".accept_git", "accept_git is blank; say why the computed resolution is right on %s", b.Branch)
	}
}
