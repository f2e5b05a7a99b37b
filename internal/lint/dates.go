package lint

import (
	"time"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// Dates: published, modified and withdrawn in the strict RFC 3339 UTC
// form, credible and in order.

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
	if msg := rule.DateProblem(t, c.opts.Now); msg != "" {
		c.errorf("date", path, "%s %s %s", path, s, msg)
	}
	return t
}
