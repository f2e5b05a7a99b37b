package publish

import (
	"fmt"
	"strings"
)

// listCap bounds how many IDs of one kind the commit message lists.
const listCap = 500

// commitMessage lists what changed: a subject with the counts, then the
// added, updated and withdrawn IDs.
func commitMessage(ch changes) string {
	var parts []string
	for _, k := range []struct {
		n    int
		verb string
	}{{len(ch.added), "added"}, {len(ch.updated), "updated"}, {len(ch.withdrawn), "withdrawn"}} {
		if k.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", k.n, k.verb))
		}
	}
	var b strings.Builder
	if len(parts) == 0 {
		fmt.Fprintf(&b, "Publish advisories: no record changed, %d other files changed\n", ch.otherFiles)
		return b.String()
	}
	fmt.Fprintf(&b, "Publish advisories: %s\n", strings.Join(parts, ", "))
	for _, k := range []struct {
		title string
		ids   []string
	}{{"Added", ch.added}, {"Updated", ch.updated}, {"Withdrawn", ch.withdrawn}} {
		if len(k.ids) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s:\n", k.title)
		for i, id := range k.ids {
			if i == listCap {
				fmt.Fprintf(&b, "  ... and %d more\n", len(k.ids)-listCap)
				break
			}
			fmt.Fprintf(&b, "  %s\n", id)
		}
	}
	if ch.otherFiles > 0 {
		fmt.Fprintf(&b, "\nOther files changed: %d\n", ch.otherFiles)
	}
	return b.String()
}
