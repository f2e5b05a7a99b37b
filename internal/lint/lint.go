// Package lint checks advisories beyond their shape: identifiers, dates,
// links, commits, enumerations, CVSS vectors, placeholders, and uniqueness
// across the database.
package lint

import (
	"fmt"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/workpool"
)

// Options configure a lint run.
type Options struct {
	// Now is the time dates are checked against ("not in the future").
	Now time.Time
	// Products is the products configuration (branch names).
	Products product.Config
	// Resolved reports whether an advisory has a current resolution (a lock
	// entry whose inputs match): its fix commits are placed by git, so its
	// release facts need not account for them. Nil: none has.
	Resolved func(*advisory.Advisory) bool
	// ErrorsOnly skips the checks that can only warn (the CVE record's
	// limits), for callers that read nothing but the errors (`advisory
	// check` from sources); every error is still reported.
	ErrorsOnly bool
}

// checker collects the diagnostics of one advisory.
type checker struct {
	a    *advisory.Advisory
	opts Options
	out  diag.List
}

func (c *checker) report(sev diag.Severity, rule, path, format string, args ...any) {
	p := c.a.Pos.Of(path)
	c.out = append(c.out, diag.Diagnostic{
		File: c.a.Path, Line: p.Line, Col: p.Col, Severity: sev, Rule: rule,
		Message: fmt.Sprintf(format, args...),
	})
}

func (c *checker) errorf(rule, path, format string, args ...any) {
	c.report(diag.Error, rule, path, format, args...)
}

func (c *checker) warnf(rule, path, format string, args ...any) {
	c.report(diag.Warning, rule, path, format, args...)
}

// Advisory checks one advisory on its own.
func Advisory(a *advisory.Advisory, opts Options) diag.List {
	c := &checker{a: a, opts: opts}
	for _, rule := range rules {
		rule(c)
	}
	c.out.Sort()
	return c.out
}

// rules run in this order on every advisory.
var rules = []func(*checker){
	checkID, checkAliases, checkTitle, checkDates, checkSeverity, checkCVSS,
	checkCWEs, checkComponents, checkPlatforms, checkText, checkCommits, checkBranches, checkFacts,
	checkCredits, checkReferences, checkTODO, checkCVELimits, checkSilentBranches,
	checkContradictions, checkFixAccount,
}

// All checks every advisory and the database as a whole (unique IDs and
// aliases). Diagnostics are sorted by file and position. The advisories
// are checked in parallel (each on its own: the rules share nothing).
func All(as []*advisory.Advisory, opts Options) diag.List {
	each := make([]diag.List, len(as))
	workpool.Each(len(as), workpool.CPUWorkers(), func(i int) error {
		each[i] = Advisory(as[i], opts)
		return nil
	})
	var out diag.List
	ids := make([]advisory.Identity, len(as))
	for i, ds := range each {
		out = append(out, ds...)
		ids[i] = as[i].Identity()
	}
	out = append(out, Database(ids)...)
	out.Sort()
	return out
}

// Database checks what spans files (unique IDs and aliases) over the
// advisories' identities, so a caller that checks each advisory on its own
// (Advisory) and releases it can run it at the end.
func Database(ids []advisory.Identity) diag.List {
	return advisory.UniqueIdentities(ids)
}
