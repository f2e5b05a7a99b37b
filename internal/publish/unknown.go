package publish

import "fmt"

// unknownVersions refuses a record (not withdrawn) whose affected versions
// nobody knows (database_specific.versions_source: unknown: no lock entry,
// no release facts, no ECOSYSTEM range). Every scanner reads such a record
// as "not affected" for every version, a silent "clean"; the pipeline
// resolves before it publishes, so such a record means the resolution
// failed.
func unknownVersions(cur *snapshot) []Problem {
	var out []Problem
	for _, p := range sortedPaths(cur.records) {
		r := cur.records[p]
		if r.VersionsSource == "unknown" && r.Withdrawn == "" {
			out = append(out, Problem{ID: r.ID, Path: p, Field: "branches", Message: fmt.Sprintf("%s: %s has unknown affected versions (database_specific.versions_source: unknown: no lock entry, no release facts): scanners would report no version as affected; run advisory resolve with the product's repository, or state first_affected and fixed_in on its branches", p, r.ID)})
		}
	}
	return out
}
