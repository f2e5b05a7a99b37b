package cverecord

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/product"
)

var (
	commitURL = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/commit/(` + rule.CommitPattern + `)/?$`) })
	pullURL   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/pull/([0-9]+)(/.*)?$`) })
)

// references maps the record's references: patch commits of the product's
// repository become branch fixes (placed on a branch when the reference name
// carries a "[3.12]" hint), other patches FIX references, issue-tracking
// REPORT, vendor-advisory ADVISORY, anything else WEB. Links lint would
// refuse are dropped with a warning.
func (im *Imported) references(c *CNA, p *product.Product) {
	a := im.Advisory
	seen := map[string]bool{}
	for _, ref := range c.References {
		u := strings.TrimSpace(ref.URL)
		if msg, warn := rule.URLProblem(u, false); msg != "" && !warn {
			im.Warnings = append(im.Warnings, fmt.Sprintf("dropped reference %q: %s", u, msg))
			continue
		}
		if seen[u] {
			continue
		}
		seen[u] = true
		branch := ""
		if m := branchHint().FindStringSubmatch(ref.Name); m != nil {
			branch = m[1]
		}
		tags := lowerAll(ref.Tags)
		if name := oneLine(ref.Name); name != "" && branchHint().FindString(name) != name {
			im.warnf("reference %s is named %q in the record; the format keeps no reference names", u, clip(name, 200))
		}
		if slices.Contains(tags, "patch") && im.fix(u, branch, p) {
			if extra := im.extraTags(u, "FIX", tags); len(extra) > 0 {
				im.warnf("fix %s also has the tags %s, not kept: a fix commit or pull request carries only patch", u, strings.Join(extra, ", "))
			}
			continue
		}
		typ := refType(tags)
		a.References = append(a.References, advisory.Reference{Type: typ, URL: u, Tags: im.extraTags(u, typ, tags)})
	}
	if unplaced := countUnplaced(a.Branches); unplaced > 0 {
		im.Warnings = append(im.Warnings, fmt.Sprintf("%d fix commit(s) have no branch; `advisory resolve` places them", unplaced))
	}
}

// fix files a patch reference of the product's repository as a branch fix:
// a commit becomes a fix (placed when the reference name has a branch hint),
// a pull request with a branch hint that branch's pr.
func (im *Imported) fix(u, branch string, p *product.Product) bool {
	if sha, ok := repoPath(u, p.Repo, commitURL()); ok {
		im.Advisory.Branches = append(im.Advisory.Branches, advisory.Branch{Branch: branch, Fixed: sha})
		return true
	}
	if n, ok := repoPath(u, p.Repo, pullURL()); ok && branch != "" {
		return im.placePR(branch, n)
	}
	return false
}

// extraTags are the reference's CVE tags beyond the one its type implies,
// each once; tags the CVE Record Format does not list are warned about.
func (im *Imported) extraTags(u, typ string, tags []string) []string {
	var out []string
	for _, t := range tags {
		switch {
		case t == advisory.ImpliedTags[typ] || slices.Contains(out, t):
		case !slices.Contains(advisory.CVEReferenceTags, t):
			im.warnf("reference %s: tag %q not kept: not a CVE reference tag", u, clip(t, 60))
		default:
			out = append(out, t)
		}
	}
	return out
}

// placePR records a pull request number on the branch entry it fixes.
func (im *Imported) placePR(branch, num string) bool {
	n, err := strconv.Atoi(num)
	if err != nil {
		return false
	}
	for i := range im.Advisory.Branches {
		b := &im.Advisory.Branches[i]
		if b.Branch == branch && b.PR == 0 {
			b.PR = n
			return true
		}
	}
	return false
}

func refType(tags []string) string {
	switch {
	case slices.Contains(tags, "patch"):
		return "FIX"
	case slices.Contains(tags, "issue-tracking"):
		return "REPORT"
	case slices.Contains(tags, "vendor-advisory"):
		return "ADVISORY"
	}
	return "WEB"
}

// repoPath matches u against the product repository followed by a path
// pattern and returns the pattern's first group.
func repoPath(u, repo string, re *regexp.Regexp) (string, bool) {
	rest, ok := strings.CutPrefix(u, strings.TrimSuffix(repo, "/"))
	if !ok {
		return "", false
	}
	m := re.FindStringSubmatch(rest)
	if m == nil {
		return "", false
	}
	return m[1], true
}

func lowerAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

func countUnplaced(bs []advisory.Branch) int {
	n := 0
	for _, b := range bs {
		if b.Branch == "" {
			n++
		}
	}
	return n
}
