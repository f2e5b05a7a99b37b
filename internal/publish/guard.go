package publish

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
)

// changes is what a run does to the published records.
type changes struct {
	added, updated, withdrawn []string // IDs, sorted
	otherFiles                int      // non-record files added, changed or removed
	versions                  map[string]VersionChange
}

// guard compares the new tree with the published one and returns what
// changes and every reason to refuse (DESIGN section 7): a record must not
// disappear, `published` must not change, `modified` must not decrease and
// must increase when the bytes change, IDs and aliases must be unique, and a
// run changing or withdrawing more than maxShare of the published records
// needs allowMass.
func guard(old, cur *snapshot, maxShare float64, allowMass bool) (changes, []Problem) {
	var ch changes
	var problems []Problem
	for _, p := range old.problems {
		problems = append(problems, Problem{Message: "published " + p + ": repair the public repository first"})
	}
	for _, p := range cur.problems {
		problems = append(problems, Problem{Message: p})
	}
	for _, p := range sortedPaths(old.records) {
		o := old.records[p]
		n, ok := cur.records[p]
		if other, reused := reusedID(o, cur); reused {
			problems = append(problems, Problem{ID: o.ID, Path: p, Field: "id", Message: fmt.Sprintf("%s: the ID %s is reused for a different advisory: published at %s with aliases [%s], the output has it at %s with aliases [%s]; an ID never changes hands: give the new advisory an ID that was never published (assign-ids) and keep the published one",
				p, o.ID, p, strings.Join(o.Aliases, ", "), other.Path, strings.Join(other.Aliases, ", "))})
			continue
		}
		if !ok {
			problems = append(problems, Problem{ID: o.ID, Path: p, Field: "id", Message: fmt.Sprintf("%s (%s) is published but missing from the output: a record never disappears; keep it and set withdrawn instead", p, o.ID)})
			continue
		}
		problems = append(problems, compareRecord(o, n)...)
		switch {
		case n.Hash == o.Hash:
		case n.Withdrawn != "" && o.Withdrawn == "":
			ch.withdrawn = append(ch.withdrawn, n.ID)
		default:
			ch.updated = append(ch.updated, n.ID)
		}
		if vc := diffVersions(o.Versions, n.Versions); vc.Added != nil || vc.Removed != nil {
			if ch.versions == nil {
				ch.versions = map[string]VersionChange{}
			}
			ch.versions[n.ID] = vc
		}
	}
	for _, p := range sortedPaths(cur.records) {
		if _, ok := old.records[p]; !ok {
			ch.added = append(ch.added, cur.records[p].ID)
		}
	}
	problems = append(problems, uniqueness(cur)...)
	problems = append(problems, unassigned(cur)...)
	problems = append(problems, unknownVersions(cur)...)
	ch.otherFiles = otherFileChanges(old, cur)
	if p := massChange(len(old.records), len(ch.updated)+len(ch.withdrawn), maxShare, allowMass); p != "" {
		problems = append(problems, Problem{Message: p})
	}
	sort.Strings(ch.added)
	sort.Strings(ch.updated)
	sort.Strings(ch.withdrawn)
	return ch, problems
}

// reusedID finds the output's record holding a published record's ID when
// it is a different advisory: both have aliases and share none.
func reusedID(o recInfo, cur *snapshot) (recInfo, bool) {
	for _, p := range sortedPaths(cur.records) {
		n := cur.records[p]
		if n.ID != o.ID || len(n.Aliases) == 0 || len(o.Aliases) == 0 {
			continue
		}
		if !slices.ContainsFunc(n.Aliases, func(a string) bool { return slices.Contains(o.Aliases, a) }) {
			return n, true
		}
	}
	return recInfo{}, false
}

// compareRecord checks one record against its published version.
func compareRecord(o, n recInfo) []Problem {
	var out []Problem
	if o.Published != n.Published && !(o.pub.Equal(n.pub) && !o.pub.IsZero()) {
		out = append(out, Problem{ID: n.ID, Path: n.Path, Field: "published", Message: fmt.Sprintf("%s: published changes from %q to %q: published never changes once a record is out", n.ID, o.Published, n.Published)})
	}
	switch {
	case n.mod.Before(o.mod):
		out = append(out, Problem{ID: n.ID, Path: n.Path, Message: fmt.Sprintf("%s: modified goes back from %s to %s: modified never decreases (rebuild from the current sources)", n.ID, o.Modified, n.Modified)})
	case n.Hash != o.Hash && !n.mod.After(o.mod):
		out = append(out, Problem{ID: n.ID, Path: n.Path, Message: fmt.Sprintf("%s: the record changes but modified stays %s: osv.dev ignores an update whose modified did not increase "+
			"(when the build warned of a commit on the database's main line dated before a commit below it, land a correctly dated commit on top of main and publish again)", n.ID, n.Modified)})
	}
	return out
}

// uniqueness refuses an ID held by two files and an alias claimed by two
// records or equal to another record's ID.
func uniqueness(cur *snapshot) []Problem {
	var out []Problem
	ids := map[string]string{}
	for _, p := range sortedPaths(cur.records) {
		r := cur.records[p]
		if prev, dup := ids[r.ID]; dup {
			out = append(out, Problem{ID: r.ID, Path: p, Field: "id", Message: fmt.Sprintf("%s: id %s is already used by %s: IDs are unique across the database", p, r.ID, prev)})
			continue
		}
		ids[r.ID] = p
	}
	aliases := map[string]string{}
	for _, p := range sortedPaths(cur.records) {
		r := cur.records[p]
		for _, a := range r.Aliases {
			if owner, isID := ids[a]; isID {
				out = append(out, Problem{ID: r.ID, Path: p, Field: "aliases", Message: fmt.Sprintf("%s: alias %s is the id of %s: an alias must not name another record", r.ID, a, owner)})
			}
			if prev, dup := aliases[a]; dup && prev != r.ID {
				out = append(out, Problem{ID: r.ID, Path: p, Field: "aliases", Message: fmt.Sprintf("%s: alias %s is also an alias of %s: each alias belongs to one record", r.ID, a, prev)})
				continue
			}
			aliases[a] = r.ID
		}
	}
	return out
}

func massChange(published, changed int, maxShare float64, allow bool) string {
	if allow || published == 0 || changed < MassChangeFloor {
		return ""
	}
	share := float64(changed) / float64(published)
	if share <= maxShare {
		return ""
	}
	return fmt.Sprintf("this run changes or withdraws %d of %d published records (%.0f%%, more than %.0f%%): check the output, then pass --allow-mass-change",
		changed, published, 100*share, 100*maxShare)
}

func otherFileChanges(old, cur *snapshot) int {
	n := 0
	for p, h := range cur.files {
		if !isRecordPath(p) && old.files[p] != h {
			n++
		}
	}
	for p := range old.files {
		if _, ok := cur.files[p]; !ok && !isRecordPath(p) {
			n++
		}
	}
	return n
}

func sortedPaths(m map[string]recInfo) []string {
	ps := make([]string, 0, len(m))
	for p := range m {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// unassigned refuses a record whose ID is still a placeholder
// (PSF-0000-...): once out, a record never disappears, so publishing one
// would block its final ID forever.
func unassigned(cur *snapshot) []Problem {
	var out []Problem
	for _, p := range sortedPaths(cur.records) {
		if id := cur.records[p].ID; advisory.Unassigned(id) {
			out = append(out, Problem{ID: id, Path: p, Field: "id", Message: fmt.Sprintf("%s: %s is a placeholder ID: run advisory assign-ids (and resolve) before building what is published", p, id)})
		}
	}
	return out
}

// diffVersions lists the affected versions a record gains and loses, in
// the order of the record that holds them.
func diffVersions(old, cur []string) VersionChange {
	var vc VersionChange
	had, has := map[string]bool{}, map[string]bool{}
	for _, v := range old {
		had[v] = true
	}
	for _, v := range cur {
		has[v] = true
		if !had[v] {
			vc.Added = append(vc.Added, v)
		}
	}
	for _, v := range old {
		if !has[v] {
			vc.Removed = append(vc.Removed, v)
		}
	}
	return vc
}
