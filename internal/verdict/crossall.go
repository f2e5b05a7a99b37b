package verdict

import (
	"fmt"
	"io"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
)

// CrossSummary is the cross-check of a whole resolution: the diagnostics of
// every disagreement and the counts of branch entries checked, agreeing and
// disagreeing by kind.
type CrossSummary struct {
	Diags           diag.List
	Checked, Agreed int
	Kinds           map[string]int
}

// CrossCheckAll compares every advisory's authored release facts with its
// fresh resolution (entries by ID); tags are the release tags the
// resolution saw. Advisories without facts or without an entry are skipped.
func CrossCheckAll(advs []*advisory.Advisory, o Order, entries map[string]*lock.Entry, tags []string) CrossSummary {
	c := CrossSummary{Kinds: map[string]int{}}
	for _, a := range advs {
		if !a.HasFacts() || entries[a.ID] == nil {
			continue
		}
		rep := CrossCheck(a, o, entries[a.ID], tags)
		c.Checked += rep.Checked
		c.Agreed += rep.Agreed
		for _, f := range rep.Findings {
			c.Kinds[f.Kind]++
		}
		c.Diags = append(c.Diags, rep.Diagnostics(a)...)
	}
	return c
}

// WriteSummary says how the facts compared, in one line; nothing when no
// advisory had facts to compare.
func (c CrossSummary) WriteSummary(w io.Writer) {
	if c.Checked == 0 {
		return
	}
	var parts []string
	for _, k := range Kinds {
		if n := c.Kinds[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	fmt.Fprintf(w, "cross-check of the authored release facts: %d branch entries, %d agree with git", c.Checked, c.Agreed)
	if len(parts) > 0 {
		fmt.Fprintf(w, "; findings: %s", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
}
