package lint

import (
	"fmt"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// The range: commit hashes and branch entries.

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
