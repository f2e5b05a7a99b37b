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
)

// FromRecords makes entries from built records (sources plus locks).
func FromRecords(recs []*osv.Record) []Entry {
	var out []Entry
	for _, r := range recs {
		a := r.Advisory
		e := Entry{ID: a.ID, Product: a.Product, Aliases: a.Aliases, Title: a.Title, Severity: a.Severity, Withdrawn: a.Withdrawn != ""}
		if r.Resolution != nil {
			e.Versions, e.Branches, e.Resolved = r.Resolution.Versions, r.Resolution.Branches, true
		}
		out = append(out, e)
	}
	return out
}

// FromDir reads the OSV records of a built output directory
// (DIR/advisories/<product>/<ID>.json): versions from affected[].versions,
// branch results and severity from database_specific.
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
	e := Entry{ID: v.ID, Product: filepath.Base(filepath.Dir(path)), Aliases: v.Aliases, Title: v.Summary, Withdrawn: v.Withdrawn != ""}
	for _, af := range v.Affected {
		e.Versions = append(e.Versions, af.Versions...)
	}
	_, hasBranches := v.DatabaseSpecific["branches"]
	e.Resolved = len(e.Versions) > 0 || hasBranches
	if s, ok := v.DatabaseSpecific["severity"].(string); ok {
		e.Severity = strings.ToLower(s)
	}
	if bs, ok := v.DatabaseSpecific["branches"]; ok {
		raw, _ := json.Marshal(bs)
		if err := json.Unmarshal(raw, &e.Branches); err != nil {
			return Entry{}, fmt.Errorf("%s: database_specific.branches: %v", path, err)
		}
	}
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
