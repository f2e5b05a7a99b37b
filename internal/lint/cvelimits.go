package lint

import (
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/diag"
)

// checkCVELimits warns about values that would make `advisory cve` refuse
// the advisory's CVE record (the CVE JSON 5 schema's lengths, counts and
// patterns), at the authored value. Advisories without a CVE alias never
// become a CVE record, but a CVE ID can be added later, so they are checked
// too. It runs only on advisories without errors (their text is bounded).
func checkCVELimits(c *checker) {
	p := c.opts.Products[c.a.Product]
	if p == nil || c.a.Withdrawn != "" || c.opts.ErrorsOnly || c.hasErrors() {
		return
	}
	for _, pr := range cverecord.AdvisoryLimits(c.a, p) {
		field := pr.Field
		if field == "" {
			field = "id"
		}
		c.warnf("cve-record", field, "the CVE record would break the CVE JSON 5 schema (advisory cve refuses it): %s is %s", pr.Path, pr.Message)
	}
}

func (c *checker) hasErrors() bool {
	for _, d := range c.out {
		if d.Severity == diag.Error {
			return true
		}
	}
	return false
}
