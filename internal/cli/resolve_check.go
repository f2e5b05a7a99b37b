package cli

import (
	"fmt"
	"io"

	"github.com/psf/advisory-builder/internal/lock"
)

// checkLock compares the committed lock with a fresh resolution and reports
// every stale entry with the reason; exit 1 when anything differs. With
// newOK (pull-request mode) entries missing from the lock are listed as new
// and do not make the lock stale.
func checkLock(w io.Writer, old, fresh *lock.Lock, ids []string, prod string, newOK bool) error {
	if newOK {
		var added []string
		old, added = lock.WithNew(old, fresh)
		for _, id := range added {
			fmt.Fprintf(w, "%s: new advisory, not in the lock yet: resolved on merge\n", id)
		}
	}
	reasons, err := lock.Stale(old, fresh, ids)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if len(reasons) == 0 {
		fmt.Fprintf(w, "%s is up to date (%d advisories, %d release tags)\n", lock.Path("", prod), len(fresh.Advisories), fresh.Tags)
		return nil
	}
	fmt.Fprintf(w, "%s is stale:\n", lock.Path("", prod))
	for _, r := range reasons {
		fmt.Fprintf(w, "  %s\n", r)
	}
	fmt.Fprintf(w, "run `advisory resolve --repo DIR --product %s` and commit the lock\n", prod)
	return findings()
}
