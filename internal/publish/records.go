package publish

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// recordsDir holds the records osv.dev imports (advisories/**/*.json).
const recordsDir = "advisories"

func isRecordPath(p string) bool {
	return strings.HasPrefix(p, recordsDir+"/") && strings.HasSuffix(p, ".json")
}

// recInfo is what the guards need of one record file.
type recInfo struct {
	Path      string
	Hash      plumbing.Hash // git blob hash of the exact bytes
	ID        string
	Modified  string
	Published string
	Withdrawn string
	Aliases   []string
	Versions  []string // affected[].versions, in record order
	// VersionsSource is database_specific.versions_source: computed,
	// authored, unknown, or "" (records built before it existed).
	VersionsSource string
	mod            time.Time
	pub            time.Time
}

// parseRecord reads the fields the guards compare. A problem is returned as
// a sentence naming the file.
func parseRecord(p string, hash plumbing.Hash, b []byte) (recInfo, string) {
	var v struct {
		ID        string   `json:"id"`
		Modified  string   `json:"modified"`
		Published string   `json:"published"`
		Withdrawn string   `json:"withdrawn"`
		Aliases   []string `json:"aliases"`
		Affected  []struct {
			Versions []string `json:"versions"`
		} `json:"affected"`
		DatabaseSpecific struct {
			VersionsSource string `json:"versions_source"`
		} `json:"database_specific"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return recInfo{}, fmt.Sprintf("%s: not an OSV JSON record: %v", p, err)
	}
	r := recInfo{Path: p, Hash: hash, ID: v.ID, Modified: v.Modified, Published: v.Published, Withdrawn: v.Withdrawn, Aliases: v.Aliases,
		VersionsSource: v.DatabaseSpecific.VersionsSource}
	for _, a := range v.Affected {
		r.Versions = append(r.Versions, a.Versions...)
	}
	if want := strings.TrimSuffix(path.Base(p), ".json"); v.ID != want {
		return r, fmt.Sprintf("%s: holds id %q: the file name must be <id>.json", p, v.ID)
	}
	var err error
	if r.mod, err = time.Parse(time.RFC3339Nano, v.Modified); err != nil {
		return r, fmt.Sprintf("%s: modified %q is not an RFC 3339 time", p, v.Modified)
	}
	if v.Published != "" {
		if r.pub, err = time.Parse(time.RFC3339Nano, v.Published); err != nil {
			return r, fmt.Sprintf("%s: published %q is not an RFC 3339 time", p, v.Published)
		}
	}
	return r, ""
}
