package lock

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/product"
)

// Check validates a lock read from disk against its product: a lock is
// committed to the database, so a pull request can edit it by hand. Tags
// must match the product's tag pattern, commits be full hashes, branches
// main or X.Y, statuses and sources known, dates RFC 3339 UTC, warnings
// printable text. The error names the lock file and the field.
func Check(root string, l *Lock, p *product.Product) error {
	c := newChecker(p)
	c.lock(l)
	return c.result(root)
}

func newChecker(p *product.Product) *checker {
	return &checker{tags: p.TagRegexp(), product: p.Name, isTag: map[string]bool{}}
}

// result is the error of the first problem found, naming the lock file.
func (c *checker) result(root string) error {
	if c.err == "" {
		return nil
	}
	return fmt.Errorf("%s: %s; the lock is written by `advisory resolve`: re-run it rather than editing by hand", Path(root, c.product), c.err)
}

type checker struct {
	tags    *regexp.Regexp
	product string
	err     string // the first problem
	// isTag holds the tag pattern's answer for each text seen so far: the
	// entries of a lock list the same releases over and over.
	isTag map[string]bool
}

// matchesTag reports whether s matches the product's tag pattern.
func (c *checker) matchesTag(s string) bool {
	ok, seen := c.isTag[s]
	if !seen {
		ok = c.tags.MatchString(s)
		c.isTag[s] = ok
	}
	return ok
}

func (c *checker) fail(path, format string, args ...any) {
	if c.err == "" {
		c.err = path + ": " + fmt.Sprintf(format, args...)
	}
}

func (c *checker) lock(l *Lock) {
	c.header(l)
	for _, id := range sortedIDs(l) {
		c.advisory(id, l.Advisories[id])
	}
}

// header checks the lock's own fields.
func (c *checker) header(l *Lock) {
	if l.Product != c.product {
		c.fail("product", "%q is not %q, the product this lock belongs to", l.Product, c.product)
	}
	if l.TagsDigest != "" && !sha256Hex.MatchString(l.TagsDigest) {
		c.fail("tags_digest", "%q is not a hex SHA-256", l.TagsDigest)
	}
	c.text("repo", l.Repo)
}

// advisory checks one advisory's ID and entry.
func (c *checker) advisory(id string, e *Entry) {
	if msg := rule.IDProblem(id); msg != "" {
		c.fail("advisories", "%s", msg)
	}
	if e == nil {
		c.fail("advisories."+id, "null entry")
	} else {
		c.entry("advisories."+id, e)
	}
}

// problemOf is the first problem of one advisory's ID and entry ("" when
// none), checked on its own: the checker's own first problem is kept.
func (c *checker) problemOf(id string, e *Entry) string {
	kept := c.err
	c.err = ""
	c.advisory(id, e)
	found := c.err
	c.err = kept
	return found
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (c *checker) entry(path string, e *Entry) {
	if !sha256Hex.MatchString(e.InputDigest) {
		c.fail(path+".input_digest", "%q is not a hex SHA-256", e.InputDigest)
	}
	for i, f := range e.Fixed {
		fp := fmt.Sprintf("%s.fixed[%d]", path, i)
		c.commit(fp+".commit", f.Commit, true)
		c.branch(fp+".branch", f.Branch, false)
		if !slices.Contains([]string{SourceAuthored, SourceTrailer, SourceTitle, SourcePatchID}, f.Source) {
			c.fail(fp+".source", "%q is not authored, trailer, title or patch-id", f.Source)
		}
		c.tag(fp+".tag", f.Tag, false)
	}
	for i, v := range e.Versions {
		if !c.matchesTag(v) { // the path is spelled out for a failure only
			c.tag(fmt.Sprintf("%s.versions[%d]", path, i), v, true)
		}
	}
	for i, b := range e.Branches {
		c.branchResult(fmt.Sprintf("%s.branches[%d]", path, i), b)
	}
	if e.Changed != "" {
		if _, err := rule.ParseTime(e.Changed); err != nil {
			c.fail(path+".changed", "%q is not an RFC 3339 UTC time", e.Changed)
		}
	}
	for i, w := range e.Warnings {
		c.text(fmt.Sprintf("%s.warnings[%d]", path, i), w)
	}
}

func (c *checker) branchResult(path string, b BranchResult) {
	c.branch(path+".branch", b.Branch, true)
	if !ValidStatus(b.Status) {
		c.fail(path+".status", "%q is not %s", b.Status, StatusList())
	}
	c.tag(path+".first_affected", b.FirstAffected, false)
	c.tag(path+".last_affected", b.LastAffected, false)
	c.tag(path+".fixed_in", b.FixedIn, false)
	c.commit(path+".fix_commit", b.FixCommit, false)
}

func (c *checker) tag(path, s string, required bool) {
	if (s != "" || required) && !c.matchesTag(s) {
		c.fail(path, "%q is not a release tag of %s (tag_pattern %s)", s, c.product, c.tags)
	}
}

func (c *checker) commit(path, s string, required bool) {
	if (s != "" || required) && !rule.IsCommit(s) {
		c.fail(path, "%q is not a full 40-character lowercase commit hash", s)
	}
}

func (c *checker) branch(path, s string, required bool) {
	if (s != "" || required) && !rule.IsBranch(s) {
		c.fail(path, "%q is not a branch name (main or X.Y)", s)
	}
}

// text refuses what advisory text may not hold (control, format and
// invisible characters) and line breaks: lock text reaches terminals,
// pull-request comments and job summaries, one line each.
func (c *checker) text(path, s string) {
	msg := rule.TextProblem(s)
	if msg == "" && strings.ContainsAny(s, "\t\n") {
		msg = "a tab or line break; keep it on one line"
	}
	if msg != "" {
		c.fail(path, "%q: %s", s, msg)
	}
}

func sortedIDs(l *Lock) []string {
	ids := make([]string, 0, len(l.Advisories))
	for id := range l.Advisories {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
