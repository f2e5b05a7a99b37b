package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/lock"
)

// checkLock compares the committed lock with a fresh resolution and reports
// every stale entry with the reason; exit 1 when anything differs. With
// newOK (pull-request mode) entries missing from the lock are listed as new
// and do not make the lock stale.
func checkLock(w io.Writer, old, fresh *lock.Lock, ids []string, prod string, newOK bool) error {
	if newOK {
		old = withNew(old, fresh, w)
	}
	oldData, _ := old.Marshal()
	newData, _ := fresh.Marshal()
	if bytes.Equal(oldData, newData) {
		fmt.Fprintf(w, "%s is up to date (%d advisories, %d release tags)\n", lock.Path("", prod), len(fresh.Advisories), fresh.Tags)
		return nil
	}
	var reasons []string
	if old.TagsDigest != fresh.TagsDigest {
		reasons = append(reasons, fmt.Sprintf("release tags changed: the lock saw %d, the repository has %d (or tags moved)", old.Tags, fresh.Tags))
	}
	if old.Repo != fresh.Repo {
		reasons = append(reasons, fmt.Sprintf("repo changed: %q in the lock, %q in the products config", old.Repo, fresh.Repo))
	}
	for _, id := range unionIDs(old, fresh) {
		if len(ids) > 0 && !slices.Contains(ids, id) {
			continue
		}
		if why := staleReason(old.Advisories[id], fresh.Advisories[id]); why != "" {
			reasons = append(reasons, id+": "+why)
		}
	}
	if len(reasons) == 0 {
		reasons = append(reasons, "the lock file's formatting differs from what resolve writes")
	}
	fmt.Fprintf(w, "%s is stale:\n", lock.Path("", prod))
	for _, r := range reasons {
		fmt.Fprintf(w, "  %s\n", r)
	}
	fmt.Fprintf(w, "run `advisory resolve --repo DIR --product %s` and commit the lock\n", prod)
	return findings()
}

// withNew is old with the fresh entries of advisories it lacks, each
// reported as new: a pull request need not carry their lock entries.
func withNew(old, fresh *lock.Lock, w io.Writer) *lock.Lock {
	l := *old
	l.Advisories = map[string]*lock.Entry{}
	for id, e := range old.Advisories {
		l.Advisories[id] = e
	}
	for _, id := range unionIDs(&lock.Lock{}, fresh) {
		if _, ok := old.Advisories[id]; !ok {
			l.Advisories[id] = fresh.Advisories[id]
			fmt.Fprintf(w, "%s: new advisory, not in the lock yet: resolved on merge\n", id)
		}
	}
	return &l
}

func unionIDs(a, b *lock.Lock) []string {
	set := map[string]bool{}
	for id := range a.Advisories {
		set[id] = true
	}
	for id := range b.Advisories {
		set[id] = true
	}
	var out []string
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func staleReason(old, fresh *lock.Entry) string {
	switch {
	case old == nil:
		return "not in the lock (new advisory)"
	case fresh == nil:
		return "in the lock but no such advisory any more"
	case old.InputDigest != fresh.InputDigest:
		return "its range changed (introduced or branches edited since the lock was written)"
	case !slices.Equal(old.Versions, fresh.Versions):
		return "affected versions changed: " + diffList(old.Versions, fresh.Versions)
	case !jsonEqual(old.Fixed, fresh.Fixed):
		return "fix commits changed (backports found or gone): " + diffList(fixCommits(old.Fixed), fixCommits(fresh.Fixed))
	case !jsonEqual(old.Branches, fresh.Branches):
		return "the per-branch summary changed"
	case !slices.Equal(old.Warnings, fresh.Warnings):
		return "warnings changed"
	case old.Changed != fresh.Changed:
		return fmt.Sprintf("changed date differs: %s in the lock, %s now", old.Changed, fresh.Changed)
	}
	return ""
}

func fixCommits(fs []lock.Fix) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Commit[:min(12, len(f.Commit))]+"@"+f.Branch)
	}
	return out
}

func diffList(old, fresh []string) string {
	var parts []string
	for _, v := range fresh {
		if !slices.Contains(old, v) {
			parts = append(parts, "+"+v)
		}
	}
	for _, v := range old {
		if !slices.Contains(fresh, v) {
			parts = append(parts, "-"+v)
		}
	}
	if len(parts) == 0 {
		return "(order)"
	}
	return strings.Join(parts, " ")
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
