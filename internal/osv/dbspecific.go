package osv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/verdict"
)

// DatabaseSpecific is a record's database_specific object: what OSV has no
// field for. A build writes it (NewDatabaseSpecific) and every reader of a
// record (check --osv-dir, the import of built records) reads it back
// through UnmarshalJSON, which refuses a wrong type or value naming its
// path. The fields are in key order, as the map this replaced was written,
// so the published bytes are the same.
type DatabaseSpecific struct {
	// Branches is the per-branch summary (computed, else authored).
	Branches []lock.BranchResult `json:"branches,omitempty"`
	// Components are the affected modules, classes and functions.
	Components []string `json:"components,omitempty"`
	// CWEIDs are the CWE IDs ("CWE-400").
	CWEIDs []string `json:"cwe_ids,omitempty"`
	// CWENames maps a CWE ID to its name as the CVE record states it.
	CWENames map[string]string `json:"cwe_names,omitempty"`
	// FactsReach: the authored facts account for every fix commit, so a
	// row's range speaks beyond its own branch (verdict.Summary.Reaches).
	FactsReach bool `json:"facts_reach,omitempty"`
	// Platforms are the operating systems the flaw affects; none: all.
	Platforms []string `json:"platforms,omitempty"`
	// Severity is the PSRT severity, upper case (MEDIUM).
	Severity string `json:"severity,omitempty"`
	// VersionsSource says where the version data comes from; a build
	// always writes it, so it marks a record this project built.
	VersionsSource verdict.Source `json:"versions_source,omitempty"`
	// Other holds, raw, the keys this project never writes (another
	// database's, such as GHSA's github_reviewed), so that an importer can
	// refuse them rather than drop them. Written after the known keys.
	Other map[string]json.RawMessage `json:"-"`
}

// NewDatabaseSpecific is the database_specific object of advisory a with
// version data s: the one writer.
func NewDatabaseSpecific(a *advisory.Advisory, s verdict.Summary) *DatabaseSpecific {
	d := &DatabaseSpecific{
		Branches: s.Branches, Components: a.Components, CWEIDs: a.CWEs, Platforms: a.Platforms,
		Severity: strings.ToUpper(a.Severity), VersionsSource: s.Source,
		FactsReach: s.Source == verdict.Authored && s.Reaches,
	}
	if len(a.CWENames) > 0 {
		d.CWENames = map[string]string{}
		for _, n := range a.CWENames {
			d.CWENames[n.ID] = n.Name
		}
	}
	return d
}

// PSRTSeverity is the PSRT severity as advisories write it (lower case).
func (d *DatabaseSpecific) PSRTSeverity() string {
	if d == nil {
		return ""
	}
	return strings.ToLower(d.Severity)
}

// CWENameList is CWENames in the order of CWEIDs (an ID without a name is
// left out), as an advisory lists them.
func (d *DatabaseSpecific) CWENameList() []advisory.CWEName {
	var out []advisory.CWEName
	for _, id := range d.CWEIDs {
		if n, ok := d.CWENames[id]; ok {
			out = append(out, advisory.CWEName{ID: id, Name: n})
		}
	}
	return out
}

// Keys are the keys the object holds, sorted: the known ones that are set
// and the others.
func (d *DatabaseSpecific) Keys() []string {
	if d == nil {
		return nil
	}
	var keys []string
	set := map[string]bool{
		"branches": len(d.Branches) > 0, "components": len(d.Components) > 0, "cwe_ids": len(d.CWEIDs) > 0,
		"cwe_names": len(d.CWENames) > 0, "facts_reach": d.FactsReach, "platforms": len(d.Platforms) > 0,
		"severity": d.Severity != "", "versions_source": d.VersionsSource != "",
	}
	for k, ok := range set {
		if ok {
			keys = append(keys, k)
		}
	}
	keys = append(keys, slices.Collect(maps.Keys(d.Other))...)
	slices.Sort(keys)
	return keys
}

// dbFields is DatabaseSpecific without its methods, for the standard
// encoding of the known keys.
type dbFields DatabaseSpecific

// MarshalJSON writes the known keys in order, then any other key in
// sorted order.
func (d DatabaseSpecific) MarshalJSON() ([]byte, error) {
	known, err := json.Marshal(dbFields(d))
	if err != nil || len(d.Other) == 0 {
		return known, err
	}
	var buf bytes.Buffer
	buf.Write(known[:len(known)-1])
	sep := len(known) > 2
	for _, k := range slices.Sorted(maps.Keys(d.Other)) {
		if sep {
			buf.WriteByte(',')
		}
		sep = true
		name, _ := json.Marshal(k)
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(d.Other[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads database_specific: each known key must have the type
// and the values a build writes (a row's status one of lock.Statuses,
// versions_source computed, authored or unknown; no unknown field in a
// row); other keys are kept in Other. The record comes from anyone, so
// errors name the field path (database_specific.branches[2].status).
func (d *DatabaseSpecific) UnmarshalJSON(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
		return fmt.Errorf("database_specific: want an object")
	}
	*d = DatabaseSpecific{}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if err := d.read(k, fields[k]); err != nil {
			return fmt.Errorf("database_specific.%s", err)
		}
	}
	return nil
}

// read decodes one key; an error starts with the key's path.
func (d *DatabaseSpecific) read(key string, raw json.RawMessage) error {
	switch key {
	case "branches":
		return readRows(key, raw, &d.Branches)
	case "components":
		return readValue(key, raw, &d.Components)
	case "cwe_ids":
		return readValue(key, raw, &d.CWEIDs)
	case "cwe_names":
		return readValue(key, raw, &d.CWENames)
	case "facts_reach":
		return readValue(key, raw, &d.FactsReach)
	case "platforms":
		return readValue(key, raw, &d.Platforms)
	case "severity":
		return readValue(key, raw, &d.Severity)
	case "versions_source":
		if err := readValue(key, raw, &d.VersionsSource); err != nil {
			return err
		}
		switch d.VersionsSource {
		case verdict.Computed, verdict.Authored, verdict.Unknown:
			return nil
		}
		return fmt.Errorf("%s: %q is not computed, authored or unknown", key, d.VersionsSource)
	}
	if d.Other == nil {
		d.Other = map[string]json.RawMessage{}
	}
	d.Other[key] = raw
	return nil
}

// readValue decodes raw into *into, refusing null and a wrong type; an
// empty list or object leaves *into nil.
func readValue[T any](path string, raw json.RawMessage, into *T) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return fmt.Errorf("%s: null; leave the key out instead", path)
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("%s: %s", path, typeProblem(err))
	}
	if v := reflect.ValueOf(into).Elem(); (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.Len() == 0 {
		v.SetZero() // an empty list or object says nothing: as if left out
	}
	return nil
}

// typeProblem says what a JSON type error means, in JSON's words.
func typeProblem(err error) string {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err.Error()
	}
	want := map[reflect.Kind]string{reflect.String: "a string", reflect.Bool: "true or false", reflect.Slice: "a list",
		reflect.Map: "an object"}[te.Type.Kind()]
	got := map[string]string{"array": "a list", "object": "an object", "number": "a number", "bool": "true or false",
		"string": "a string"}[te.Value]
	return fmt.Sprintf("want %s, got %s", orWord(want, te.Type.Kind().String()), orWord(got, te.Value))
}

func orWord(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// readRows decodes the per-branch summary: a list of row objects with
// only lock.BranchResult's keys, each a string, status one of the table's.
func readRows(path string, raw json.RawMessage, into *[]lock.BranchResult) error {
	var rows []json.RawMessage
	if err := readValue(path, raw, &rows); err != nil {
		return err
	}
	for i, r := range rows {
		rp := fmt.Sprintf("%s[%d]", path, i)
		var fields map[string]json.RawMessage
		if err := readValue(rp, r, &fields); err != nil {
			return err
		}
		var b lock.BranchResult
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			f := rowField(&b, k)
			if f == nil {
				return fmt.Errorf("%s: unknown field %q; a row has branch, status, first_affected, last_affected, fixed_in and fix_commit", rp, k)
			}
			if err := readValue(rp+"."+k, fields[k], f); err != nil {
				return err
			}
		}
		if !lock.ValidStatus(b.Status) {
			return fmt.Errorf("%s.status: %q is not %s", rp, b.Status, lock.StatusList())
		}
		*into = append(*into, b)
	}
	return nil
}

// rowField is the field of b that key k of a row object sets, else nil.
func rowField(b *lock.BranchResult, k string) *string {
	switch k {
	case "branch":
		return &b.Branch
	case "status":
		return &b.Status
	case "first_affected":
		return &b.FirstAffected
	case "last_affected":
		return &b.LastAffected
	case "fixed_in":
		return &b.FixedIn
	case "fix_commit":
		return &b.FixCommit
	}
	return nil
}

// Specific is the record's database_specific, empty when it has none.
func (v *Vulnerability) Specific() *DatabaseSpecific {
	if v.DatabaseSpecific == nil {
		return &DatabaseSpecific{}
	}
	return v.DatabaseSpecific
}

// StatedSummary is the version data a built record states: the source
// (versions_source), the per-branch summary, facts_reach, the affected
// versions and FromRoot. A record built before versions_source was
// written counts as computed when it holds version data; unknown version
// data is the bare unknown summary.
func (v *Vulnerability) StatedSummary() verdict.Summary {
	d := v.Specific()
	s := verdict.Summary{Source: d.VersionsSource, Branches: d.Branches, Reaches: d.FactsReach, FromRoot: v.FromRoot()}
	for _, af := range v.Affected {
		s.Versions = append(s.Versions, af.Versions...)
	}
	if s.Source == "" {
		s.Source = verdict.Unknown
		if len(s.Versions) > 0 || len(s.Branches) > 0 {
			s.Source = verdict.Computed
		}
	}
	if s.Source == verdict.Unknown {
		return verdict.Summary{Source: verdict.Unknown}
	}
	return s
}
