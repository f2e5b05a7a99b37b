package build

import (
	"fmt"
	"sort"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
)

// orphanEntries warns, at the entry's key in the lock, of every lock entry
// whose advisory the database does not have (removed or renamed by hand):
// the build ignores it, and a full resolve of the product drops it.
func orphanEntries(root string, as []advisory.Identity, locks map[string]*lock.Packed) diag.List {
	have := map[[2]string]bool{}
	for _, a := range as {
		have[[2]string{a.Product, a.ID}] = true
	}
	names := make([]string, 0, len(locks))
	for name := range locks {
		names = append(names, name)
	}
	sort.Strings(names)
	var ds diag.List
	for _, name := range names {
		var orphans []string
		for _, id := range locks[name].IDs() { // sorted
			if !have[[2]string{name, id}] {
				orphans = append(orphans, id)
			}
		}
		ds = append(ds, orphanDiags(root, name, orphans)...)
	}
	return ds
}

func orphanDiags(root, product string, ids []string) diag.List {
	if len(ids) == 0 {
		return nil
	}
	pos, _ := lock.EntryPositions(root, product, ids) // positions only: 1:1 when not found
	var ds diag.List
	for _, id := range ids {
		lc := pos[id]
		if lc == [2]int{} {
			lc = [2]int{1, 1}
		}
		ds = append(ds, diag.Diagnostic{File: lock.Path(root, product), Line: lc[0], Col: lc[1], Severity: diag.Warning, Rule: "lock",
			Message: fmt.Sprintf("advisories.%s: an entry for %s, which is not an advisory of %s (removed or renamed?); the build ignores it, and `advisory resolve --product %s` drops it", id, id, product, product)})
	}
	return ds
}
