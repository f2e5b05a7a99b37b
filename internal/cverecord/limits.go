package cverecord

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// The limits of the CVE JSON 5 schema (CVE Record Format 5.1) on the fields
// this package writes: lengths count Unicode characters, as the schema does.
// A clone of the project has no copy of the schema, so they live here; the
// tests check them against the schema itself.
const (
	MaxTitle       = 256  // cnaPublishedContainer.title
	MaxText        = 4096 // description, workaround, credit, problem type and scenario values, module and routine names
	MaxURL         = 2048 // uriType: references[].url, affected[].repo, collectionURL
	MaxReferences  = 512  // references: maxItems
	MaxProductName = 2048 // affected[].product and packageName
	MaxVendor      = 512  // affected[].vendor
	MaxVersion     = 1024 // versions[].version, lessThan, lessThanOrEqual
	MaxVersionType = 128  // versions[].versionType
	MaxCWEID       = 9    // problemTypes[].descriptions[].cweId: CWE-1 to CWE-99999
)

// Problem is one value of a record the CVE schema would refuse: its record
// path (containers.cna.references[3].url) and what is wrong.
type Problem struct {
	Path    string
	Message string
}

// Limits lists the values of r that break the CVE schema's length, count,
// pattern and uniqueness rules on the fields this package writes.
func Limits(r *Record) []Problem {
	l := &limits{}
	c := r.Containers.CNA
	if c == nil {
		return nil
	}
	const at = "containers.cna."
	l.text(at+"title", c.Title, 0, MaxTitle)
	l.descriptions(at+"descriptions", c.Descriptions)
	l.descriptions(at+"workarounds", c.Workarounds)
	l.descriptions(at+"rejectedReasons", c.RejectedReasons)
	for i, af := range c.Affected {
		l.affected(fmt.Sprintf("%saffected[%d]", at, i), af)
	}
	for i, pt := range c.ProblemTypes {
		l.problemType(fmt.Sprintf("%sproblemTypes[%d]", at, i), pt)
	}
	if n := len(c.References); n > MaxReferences {
		l.add(at+"references", "a list of %d, over the CVE schema's %d references; keep the most useful ones", n, MaxReferences)
	}
	for i, ref := range c.References {
		if breaks(ref.URL, 1, MaxURL) {
			l.text(fmt.Sprintf("%sreferences[%d].url", at, i), ref.URL, 1, MaxURL)
		}
	}
	l.unique(at+"references", c.References)
	for i, cr := range c.Credits {
		if breaks(cr.Value, 1, MaxText) {
			l.text(fmt.Sprintf("%scredits[%d].value", at, i), cr.Value, 1, MaxText)
		}
	}
	l.unique(at+"credits", c.Credits)
	return l.out
}

type limits struct{ out []Problem }

func (l *limits) add(path, format string, args ...any) {
	l.out = append(l.out, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// breaks reports whether text would fail its length check: the caller
// spells a path out only then (Limits runs for every advisory lint checks).
func breaks(s string, min, max int) bool {
	if len(s) <= max && min <= 1 { // no more characters than bytes; only "" has none
		return len(s) < min
	}
	n := utf8.RuneCountInString(s)
	return n < min || n > max
}

// text checks a string's length in characters; min 0 means the field is
// omitted when empty.
func (l *limits) text(path, s string, min, max int) {
	switch n := utf8.RuneCountInString(s); {
	case n > max:
		l.add(path, "%d characters long, over the CVE schema's %d; shorten it", n, max)
	case n < min:
		l.add(path, "empty, but the CVE schema needs at least %d character", min)
	}
}

func (l *limits) descriptions(path string, ds []Description) {
	for i, d := range ds {
		if breaks(d.Value, 1, MaxText) {
			l.text(fmt.Sprintf("%s[%d].value", path, i), d.Value, 1, MaxText)
		}
	}
	l.unique(path, ds)
}

func (l *limits) affected(path string, af Affected) {
	l.text(path+".vendor", af.Vendor, 0, MaxVendor)
	l.text(path+".product", af.Product, 0, MaxProductName)
	l.text(path+".packageName", af.PackageName, 0, MaxProductName)
	l.text(path+".repo", af.Repo, 0, MaxURL)
	l.text(path+".collectionURL", af.CollectionURL, 0, MaxURL)
	for i, m := range af.Modules {
		if breaks(m, 1, MaxText) {
			l.text(fmt.Sprintf("%s.modules[%d]", path, i), m, 1, MaxText)
		}
	}
	l.unique(path+".modules", af.Modules)
	for i, rt := range af.ProgramRoutines {
		if breaks(rt.Name, 1, MaxText) {
			l.text(fmt.Sprintf("%s.programRoutines[%d].name", path, i), rt.Name, 1, MaxText)
		}
	}
	l.unique(path+".programRoutines", af.ProgramRoutines)
	for i, v := range af.Versions {
		if !breaks(v.Version, 1, MaxVersion) && !breaks(v.LessThan, 0, MaxVersion) &&
			!breaks(v.LessThanOrEqual, 0, MaxVersion) && !breaks(v.VersionType, 0, MaxVersionType) {
			continue
		}
		at := fmt.Sprintf("%s.versions[%d]", path, i)
		l.text(at+".version", v.Version, 1, MaxVersion)
		l.text(at+".lessThan", v.LessThan, 0, MaxVersion)
		l.text(at+".lessThanOrEqual", v.LessThanOrEqual, 0, MaxVersion)
		l.text(at+".versionType", v.VersionType, 0, MaxVersionType)
	}
	l.unique(path+".versions", af.Versions)
}

func (l *limits) problemType(path string, pt ProblemType) {
	for i, d := range pt.Descriptions {
		badID := d.CWEID != "" && (len(d.CWEID) > MaxCWEID || !rule.IsCWE(d.CWEID))
		if !badID && !breaks(d.Description, 1, MaxText) {
			continue
		}
		at := fmt.Sprintf("%s.descriptions[%d]", path, i)
		l.text(at+".description", d.Description, 1, MaxText)
		if badID {
			l.add(at+".cweId", "%s, not a CWE ID the CVE schema accepts (CWE-1 to CWE-99999); check the number", d.CWEID)
		}
	}
	l.unique(path+".descriptions", pt.Descriptions)
}

// unique reports the second of two equal items (the schema's uniqueItems).
func unique[T any](items []T) (first, second int) {
	if len(items) < 2 {
		return -1, -1
	}
	seen := map[string]int{}
	for i, it := range items {
		b, _ := json.Marshal(it)
		if j, ok := seen[string(b)]; ok {
			return j, i
		}
		seen[string(b)] = i
	}
	return -1, -1
}

func (l *limits) unique(path string, items any) {
	var first, second int
	switch v := items.(type) {
	case []Reference:
		first, second = unique(v)
	case []Credit:
		first, second = unique(v)
	case []Description:
		first, second = unique(v)
	case []string:
		first, second = unique(v)
	case []Routine:
		first, second = unique(v)
	case []Version:
		first, second = unique(v)
	case []ProblemDescription:
		first, second = unique(v)
	}
	if second >= 0 {
		l.add(fmt.Sprintf("%s[%d]", path, second), "a repeat of %s[%d], and the CVE schema wants each item once; remove one", path[strings.LastIndex(path, ".")+1:], first)
	}
}

// AdvisoryLimits lists the values of a source advisory that would break the
// CVE schema in the record `advisory cve` writes, with the authored field
// each comes from ("" when none): lint warns about them. The versions are
// the authored release facts (a resolution adds only fix commits).
//
// The container is built without the authored fields' paths, which are
// asked for only when a value breaks a limit (the same container again,
// with them): lint runs this for every advisory, and nearly all break none.
func AdvisoryLimits(a *advisory.Advisory, p *product.Product) []LocatedProblem {
	vd, pm := verdict.Of(a, nil), ProviderMetadata{OrgID: PSFOrgID}
	c, _, err := cna(a, p, vd, pm, false)
	if err != nil {
		return nil // the advisory cannot make a record at all: lint says why elsewhere
	}
	ps := Limits(&Record{Containers: Containers{CNA: c}})
	if len(ps) == 0 {
		return nil
	}
	_, origin, _ := cna(a, p, vd, pm, true)
	return locate(ps, origin)
}

// LocatedProblem is a Problem with the authored field it comes from.
type LocatedProblem struct {
	Problem
	Field string
}

func locate(ps []Problem, origin map[string]string) []LocatedProblem {
	var out []LocatedProblem
	for _, p := range ps {
		field := origin[p.Path]
		if field == "" {
			if i := strings.LastIndex(p.Path, "."); i > 0 {
				field = origin[p.Path[:i]]
			}
		}
		if field == "" && strings.HasPrefix(p.Path, "containers.cna.references") {
			field = "references"
		}
		out = append(out, LocatedProblem{Problem: p, Field: field})
	}
	return out
}

// LimitError refuses a record that breaks the CVE schema: nothing is
// written. Each problem names the authored field its value comes from, when
// there is one.
type LimitError struct {
	Advisory *advisory.Advisory
	Problems []LocatedProblem
}

func limitError(a *advisory.Advisory, ps []Problem, origin map[string]string) error {
	if len(ps) == 0 {
		return nil
	}
	return &LimitError{Advisory: a, Problems: locate(ps, origin)}
}

// Diagnostics are the problems at the positions pos gives (the advisory's
// own when pos is nil), one error each.
func (e *LimitError) Diagnostics(pos advisory.Positions) diag.List {
	if pos == nil {
		pos = e.Advisory.Pos
	}
	var out diag.List
	for _, p := range e.Problems {
		at := pos.Of(p.Field)
		out = append(out, diag.Diagnostic{File: e.Advisory.Path, Line: at.Line, Col: at.Col, Severity: diag.Error, Rule: "cve-record",
			Message: fmt.Sprintf("%s: the CVE record's %s is %s (the CVE JSON 5 schema refuses it; nothing written)", fieldOr(p.Field, p.Path), p.Path, p.Message)})
	}
	return out
}

func (e *LimitError) Error() string {
	var lines []string
	for _, d := range e.Diagnostics(nil) {
		lines = append(lines, d.String())
	}
	return strings.Join(lines, "\n")
}

func fieldOr(field, path string) string {
	if field != "" {
		return field
	}
	return path
}
