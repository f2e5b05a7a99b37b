package lint

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
)

func checkDates(c *checker) {
	pub := c.date("published", c.a.Published)
	mod := c.date("modified", c.a.Modified)
	wd := c.date("withdrawn", c.a.Withdrawn)
	if !pub.IsZero() && !mod.IsZero() && mod.Before(pub) {
		c.errorf("date", "modified", "modified %s is before published %s", c.a.Modified, c.a.Published)
	}
	if !pub.IsZero() && !wd.IsZero() && wd.Before(pub) {
		c.errorf("date", "withdrawn", "withdrawn %s is before published %s", c.a.Withdrawn, c.a.Published)
	}
}

// earliest is the earliest credible date of an advisory: Python's first
// public release.
var earliest = time.Date(1991, 2, 20, 0, 0, 0, 0, time.UTC)

// date parses an RFC 3339 UTC timestamp and checks it is credible: not
// before Python existed, not in the future.
func (c *checker) date(path, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := rule.ParseTime(s)
	if err != nil {
		c.errorf("date", path, "%s %q is not an RFC 3339 UTC time; write it like \"2024-08-19T19:06:45Z\"", path, s)
		return time.Time{}
	}
	if t.Before(earliest) {
		c.errorf("date", path, "%s %s is before Python's first release; check the year", path, s)
	}
	if !c.opts.Now.IsZero() && t.After(c.opts.Now) {
		c.errorf("date", path, "%s %s is in the future", path, s)
	}
	return t
}

func checkCommits(c *checker) {
	if in := c.a.Introduced; in != "0" && !rule.IsCommit(in) {
		c.errorf("commit", "introduced", "introduced %q must be \"0\" or a full 40-character lowercase commit hash", in)
	}
	for i, b := range c.a.Branches {
		for _, f := range []struct{ key, v string }{{"introduced", b.Introduced}, {"fixed", b.Fixed}, {"last_affected", b.LastAffected}} {
			if f.v != "" && !rule.IsCommit(f.v) {
				c.errorf("commit", fmt.Sprintf("branches[%d].%s", i, f.key), "%s %q must be a full 40-character lowercase commit hash (git rev-parse gives it)", f.key, f.v)
			}
		}
	}
}

func checkBranches(c *checker) {
	seen := map[string]int{}
	commits := map[string]int{}
	var known map[string]string
	if p := c.opts.Products[c.a.Product]; p != nil {
		known = p.Branches
	}
	for i, b := range c.a.Branches {
		path := fmt.Sprintf("branches[%d]", i)
		if b.Branch != "" {
			if !rule.IsBranch(b.Branch) {
				c.errorf("branch", path+".branch", "branch %q must be main or X.Y", b.Branch)
			} else if known != nil && known[b.Branch] == "" {
				c.warnf("branch", path+".branch", "branch %s is not listed in advisories/products.yaml; add it with its status", b.Branch)
			}
			if j, dup := seen[b.Branch]; dup && b.Fixed != "" && c.a.Branches[j].Fixed != "" {
				c.warnf("branch", path+".branch", "branch %s has a second fix (first in branches[%d]); fine for a two-part fix, otherwise remove one", b.Branch, j)
			}
			seen[b.Branch] = i
		}
		for _, h := range []string{b.Fixed, b.LastAffected} {
			if j, dup := commits[h]; h != "" && dup {
				c.errorf("commit", path, "commit %s is already listed in branches[%d]; remove one", h, j)
			}
			commits[h] = i
		}
	}
}

func checkCredits(c *checker) {
	for i, cr := range c.a.Credits {
		path := fmt.Sprintf("credits[%d]", i)
		if strings.TrimSpace(cr.Name) == "" {
			c.errorf("credit", path+".name", "credit needs a name")
		}
		if cr.Type != "" && !slices.Contains(advisory.CreditTypes, cr.Type) {
			c.errorf("credit", path+".type", "credit type %q is not one of %s", cr.Type, strings.Join(advisory.CreditTypes, ", "))
		}
		for j, u := range cr.Contact {
			c.url(fmt.Sprintf("%s.contact[%d]", path, j), u, true)
		}
	}
}

func checkReferences(c *checker) {
	seen := map[string]int{}
	for i, r := range c.a.References {
		path := fmt.Sprintf("references[%d]", i)
		if !slices.Contains(advisory.ReferenceTypes, r.Type) {
			c.errorf("reference", path+".type", "reference type %q is not one of %s", r.Type, strings.Join(advisory.ReferenceTypes, ", "))
		}
		if j, dup := seen[r.URL]; dup {
			c.errorf("reference", path+".url", "reference %s is already listed at references[%d]; remove one", r.URL, j)
		}
		seen[r.URL] = i
		c.url(path+".url", r.URL, false)
		checkRefTags(c, path, r)
	}
}

// checkRefTags: CVE reference tags from the CVE Record Format's list, each
// once, and not the tag the reference type already implies.
func checkRefTags(c *checker, path string, r advisory.Reference) {
	seen := map[string]bool{}
	for j, tag := range r.Tags {
		tp := fmt.Sprintf("%s.tags[%d]", path, j)
		switch {
		case !slices.Contains(advisory.CVEReferenceTags, tag):
			c.errorf("reference", tp, "%q is not a CVE reference tag; use one of %s", tag, strings.Join(advisory.CVEReferenceTags, ", "))
		case seen[tag]:
			c.errorf("reference", tp, "tag %s is listed twice; remove one", tag)
		case advisory.ImpliedTags[r.Type] == tag:
			c.errorf("reference", tp, "type %s already gives the CVE tag %s; remove it from tags", r.Type, tag)
		}
		seen[tag] = true
	}
}

// checkTODO refuses the TODO markers that `advisory new` scaffolds.
func checkTODO(c *checker) {
	for path, v := range textFields(c.a) {
		if strings.Contains(v, "TODO") {
			c.errorf("todo", path, "%s still holds a TODO marker; fill it in or remove the field", path)
		}
	}
}

// textFields lists every authored text value by field path.
func textFields(a *advisory.Advisory) map[string]string {
	m := map[string]string{
		"id": a.ID, "title": a.Title, "description": a.Description, "mitigations": a.Mitigations,
		"severity": a.Severity, "cvss": a.CVSS, "cvss_v3": a.CVSSV3, "introduced": a.Introduced, "published": a.Published,
	}
	add := func(prefix string, vs []string) {
		for i, v := range vs {
			m[fmt.Sprintf("%s[%d]", prefix, i)] = v
		}
	}
	add("aliases", a.Aliases)
	add("cwes", a.CWEs)
	add("components", a.Components)
	for i, b := range a.Branches {
		p := fmt.Sprintf("branches[%d]", i)
		m[p+".branch"], m[p+".fixed"], m[p+".introduced"], m[p+".last_affected"] = b.Branch, b.Fixed, b.Introduced, b.LastAffected
	}
	for i, cr := range a.Credits {
		m[fmt.Sprintf("credits[%d].name", i)] = cr.Name
	}
	for i, r := range a.References {
		m[fmt.Sprintf("references[%d].url", i)] = r.URL
	}
	for i, n := range a.CWENames {
		m[fmt.Sprintf("cwe_names[%d].name", i)] = n.Name
	}
	return m
}
