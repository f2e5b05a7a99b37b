package check

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/verdict"
)

// FromRecords makes entries from built records (sources plus locks).
func FromRecords(recs []*osv.Record) []Entry {
	if len(recs) == 0 {
		return nil
	}
	out := make([]Entry, 0, len(recs))
	for _, r := range recs {
		a := r.Advisory
		e := Entry{ID: a.ID, Product: a.Product, Aliases: a.Aliases, Title: a.Title, Severity: a.Severity,
			Withdrawn: a.Withdrawn != "", Platforms: a.Platforms, Data: r.VersionData()}
		if r.Vuln != nil {
			e.Ecosystem = r.Vuln.EcosystemEvents()
		}
		out = append(out, e)
	}
	return out
}

// FromDir reads the OSV records of a built output directory
// (DIR/advisories/<product>/<ID>.json): versions from affected[].versions,
// ECOSYSTEM events, and from database_specific the severity, the source of
// the version data (versions_source) and the per-branch summary.
func FromDir(dir string) ([]Entry, error) {
	files, err := filepath.Glob(filepath.Join(dir, "advisories", "*", "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s holds no records (advisories/<product>/*.json); is it the output of `advisory build`?", dir)
	}
	var out []Entry
	for _, f := range files {
		e, err := readRecord(f)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func readRecord(path string) (Entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Entry{}, err
	}
	var v osv.Vulnerability
	if err := json.Unmarshal(data, &v); err != nil {
		return Entry{}, fmt.Errorf("%s: not an OSV record: %v", path, err)
	}
	e := Entry{ID: v.ID, Product: filepath.Base(filepath.Dir(path)), Aliases: v.Aliases, Title: v.Summary,
		Withdrawn: v.Withdrawn != "", Ecosystem: v.EcosystemEvents(), Severity: v.Specific().PSRTSeverity(),
		Platforms: v.Specific().Platforms, Data: v.StatedSummary()}
	return e, nil
}

// compareIDs orders PSF-YYYY-N numerically, anything else by text.
func compareIDs(a, b string) int {
	ya, na, oka := rule.ParseID(a)
	yb, nb, okb := rule.ParseID(b)
	if oka && okb {
		if c := cmp.Compare(ya, yb); c != 0 {
			return c
		}
		return cmp.Compare(na, nb)
	}
	return strings.Compare(a, b)
}

// BrokenSources makes an entry with no version data (judged "cannot tell")
// for each advisory source with errors, named by its file: an advisory
// nobody could load is still an advisory of its product. A file with
// errors that is not an advisory source (advisories/<product>/<ID>.yaml)
// is an error.
func BrokenSources(root string, files []string) ([]Entry, error) {
	var out []Entry
	base := filepath.Join(root, "advisories")
	for _, f := range files {
		rel, err := filepath.Rel(base, f)
		dir, name := filepath.Split(rel)
		if err != nil || filepath.Ext(name) != ".yaml" || strings.Contains(strings.TrimSuffix(dir, string(filepath.Separator)), string(filepath.Separator)) || dir == "" || strings.HasPrefix(rel, "..") {
			return nil, fmt.Errorf("%s has errors", f)
		}
		out = append(out, Entry{ID: strings.TrimSuffix(name, ".yaml"), Product: filepath.Clean(dir), Title: "(the source has errors; see stderr)",
			Data: verdict.Summary{Source: verdict.Unknown}})
	}
	return out, nil
}
