package resolve

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/plaintext"
)

// WriteSummary tells what a resolution wrote: per advisory resolved
// (entries), the number of affected releases, the backports found and each
// branch's outcome, on stdout, and the resolver's warnings (escaped) on
// stderr; then the lock written.
func WriteSummary(stdout, stderr io.Writer, l *lock.Lock, entries map[string]*lock.Entry) {
	var ids []string
	for id := range entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		e := entries[id]
		var parts []string
		for _, b := range e.Branches {
			switch b.Status {
			case lock.StatusFixed:
				in := b.FixedIn
				if in == "" {
					in = "unreleased"
				}
				parts = append(parts, b.Branch+" fixed in "+in)
			case lock.StatusUnfixed:
				parts = append(parts, b.Branch+" UNFIXED")
			}
		}
		found := 0
		for _, fx := range e.Fixed {
			if fx.Source != SourceAuthored {
				found++
			}
		}
		fmt.Fprintf(stdout, "%s: %s; %s found; %s\n", id, plaintext.Count(len(e.Versions), "affected release", "affected releases"), plaintext.Count(found, "backport", "backports"), strings.Join(parts, ", "))
		for _, w := range e.Warnings {
			fmt.Fprintf(stderr, "warning: %s: %s\n", id, diag.Escape(w))
		}
	}
	fmt.Fprintf(stdout, "wrote %s (%s, %s)\n", lock.Path("", l.Product), plaintext.Count(len(l.Advisories), "advisory", "advisories"), plaintext.Count(l.Tags, "release tag", "release tags"))
}
