package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/resolve"
	"github.com/psf/advisory-builder/internal/verdict"
)

// crossResult is the cross-check of a resolution: its diagnostics and
// counts.
type crossResult struct {
	diags           diag.List
	checked, agreed int
	kinds           map[string]int
}

// crossCheck compares every advisory's authored release facts with its
// fresh resolution.
func crossCheck(advs []*advisory.Advisory, p *product.Product, entries map[string]*lock.Entry, r *resolve.Resolver) crossResult {
	var tags []string
	for _, t := range r.Tags() {
		tags = append(tags, t.Name)
	}
	c := crossResult{kinds: map[string]int{}}
	for _, a := range advs {
		if !a.HasFacts() || entries[a.ID] == nil {
			continue
		}
		rep := verdict.CrossCheck(a, p, entries[a.ID], tags)
		c.checked += rep.Checked
		c.agreed += rep.Agreed
		for _, f := range rep.Findings {
			c.kinds[f.Kind]++
		}
		c.diags = append(c.diags, rep.Diagnostics(a)...)
	}
	return c
}

// summary says how the facts compared, one line.
func (c crossResult) summary(w io.Writer) {
	if c.checked == 0 {
		return
	}
	var parts []string
	for _, k := range verdict.Kinds {
		if n := c.kinds[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	fmt.Fprintf(w, "cross-check of the authored release facts: %d branch entries, %d agree with git", c.checked, c.agreed)
	if len(parts) > 0 {
		fmt.Fprintf(w, "; findings: %s", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
}
