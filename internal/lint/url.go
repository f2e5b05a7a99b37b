package lint

import "github.com/psf/advisory-builder/internal/advisory/rule"

func (c *checker) url(path, raw string, allowMail bool) {
	msg, warn := rule.URLProblem(raw, allowMail)
	switch {
	case msg == "":
	case warn:
		c.warnf("url", path, "%s: %s", raw, msg)
	default:
		c.errorf("url", path, "%s: %s", raw, msg)
	}
}
