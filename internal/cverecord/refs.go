package cverecord

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/product"
)

var (
	commitURL = regexp.MustCompile(`^/commit/([0-9a-f]{40})/?$`)
	pullURL   = regexp.MustCompile(`^/pull/([0-9]+)(/.*)?$`)
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
		if msg, warn := lint.URLProblem(u, false); msg != "" && !warn {
			im.Warnings = append(im.Warnings, fmt.Sprintf("dropped reference %q: %s", u, msg))
			continue
		}
		if seen[u] {
			continue
		}
		seen[u] = true
		branch := ""
		if m := branchHint.FindStringSubmatch(ref.Name); m != nil {
			branch = m[1]
		}
		tags := lowerAll(ref.Tags)
		if slices.Contains(tags, "patch") {
			if sha, ok := repoPath(u, p.Repo, commitURL); ok {
				a.Branches = append(a.Branches, advisory.Branch{Branch: branch, Fixed: sha})
				continue
			}
			if n, ok := repoPath(u, p.Repo, pullURL); ok && branch != "" {
				if placed := im.placePR(branch, n); placed {
					continue
				}
			}
		}
		a.References = append(a.References, advisory.Reference{Type: refType(tags), URL: u})
	}
	if unplaced := countUnplaced(a.Branches); unplaced > 0 {
		im.Warnings = append(im.Warnings, fmt.Sprintf("%d fix commit(s) have no branch; `advisory resolve` places them", unplaced))
	}
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
