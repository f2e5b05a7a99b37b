package pipeline

import (
	"context"
	"fmt"

	"github.com/psf/advisory-builder/internal/ghsa"
)

// githubAdvisories runs after a publish: for every published pip record it
// drafts (or updates) the GitHub repository security advisory on pypa/pip,
// the route by which pip advisories reach pip-audit. With no token it
// prints, for each, the request it would send. An advisory GitHub already
// has with the same fields is left alone, so running it again sends
// nothing; a failure leaves the published database as it is, and the next
// run tries again.
func githubAdvisories(ctx context.Context, o *Options, rep *Report) error {
	drafts, err := ghsa.Drafts(rep.Records)
	if err != nil || len(drafts) == 0 {
		return err
	}
	if o.GitHub.Token == "" {
		for _, d := range drafts {
			body, err := d.JSON()
			if err != nil {
				return err
			}
			fmt.Fprintf(o.Log, "pipeline: GitHub advisory of %s: no token, nothing sent; with one this run would send %s with the body:\n%s", d.ID, d.Plan(o.GitHub.API), body)
			rep.GitHub = append(rep.GitHub, fmt.Sprintf("%s: not sent (no token)", d.ID))
		}
		return nil
	}
	c, err := ghsa.NewClient(o.GitHub.API, o.GitHub.Token, nil)
	if err != nil {
		return err
	}
	for _, d := range drafts {
		out, err := c.Sync(ctx, d)
		if err != nil {
			return fmt.Errorf("GitHub advisory (the database is published; the next run tries again): %w", err)
		}
		line := fmt.Sprintf("%s: %s %s %s", d.ID, out.Action, out.GHSA, out.URL)
		if out.Action == "created" {
			line += " (a draft: pip's maintainers review and publish it; add " + out.GHSA + " to the advisory's aliases)"
		}
		fmt.Fprintf(o.Log, "pipeline: GitHub advisory of %s\n", line)
		rep.GitHub = append(rep.GitHub, line)
	}
	return nil
}
