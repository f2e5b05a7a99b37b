package osv

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/psf/advisory-builder/schema"
)

// Conforms reports whether the typed record v is certainly valid: whether
// ValidateStrict would accept Marshal(v). It answers from the Go values,
// without encoding or decoding JSON, for the shape Convert makes (one
// record-level severity of CVSS 3.x or 4.0, GIT and ECOSYSTEM ranges, no
// open objects but database_specific); every pattern and enumeration it
// applies is read from the embedded schema, so the schema stays their one
// home. It is sound, not complete: false means only that the full
// validator must decide (anything outside that shape, or any value it
// cannot vouch for). TestConformsImpliesValid, FuzzConforms and
// FuzzConvertConforms hold it to ValidateStrict.
func Conforms(v *Vulnerability) bool {
	c, err := conformance()
	if err != nil || v == nil {
		return false
	}
	return c.record(v) && len(StrictProblems(v)) == 0
}

// conformanceRules are the schema's patterns and enumerations for the
// fields Convert fills, compiled once.
type conformanceRules struct {
	recordID, timestamp, idItem, summary    *regexp.Regexp
	ecosystem, ecosystemNeedsSuffix, purl   *regexp.Regexp
	repo, gitIntroduced, gitCommit, cvssV4  *regexp.Regexp
	cvssV3                                  []*regexp.Regexp
	referenceTypes, creditTypes, rangeTypes []string
}

var conformance = sync.OnceValues(func() (*conformanceRules, error) {
	return newConformanceRules(schema.OSV)
})

// newConformanceRules reads the rules out of the schema document.
func newConformanceRules(doc []byte) (*conformanceRules, error) {
	var root map[string]any
	if err := json.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	r := schemaReader{root: root}
	c := &conformanceRules{
		recordID:             r.pattern("$defs", "recordID", "pattern"),
		timestamp:            r.pattern("$defs", "timestamp", "pattern"),
		idItem:               r.pattern("$defs", "idList", "items", "pattern"),
		summary:              r.pattern("properties", "summary", "pattern"),
		ecosystem:            r.pattern("$defs", "ecosystem", "allOf", "0", "pattern"),
		ecosystemNeedsSuffix: r.pattern("$defs", "ecosystem", "allOf", "1", "not", "pattern"),
		purl:                 r.pattern("$defs", "package", "properties", "purl", "pattern"),
		repo:                 r.pattern("$defs", "range", "properties", "repo", "pattern"),
		gitIntroduced:        r.pattern("$defs", "gitEvent", "properties", "introduced", "pattern"),
		gitCommit:            r.pattern("$defs", "gitCommit", "pattern"),
		cvssV4:               r.pattern("$defs", "cvssV4", "pattern"),
		referenceTypes:       r.strings("$defs", "reference", "properties", "type", "enum"),
		creditTypes:          r.strings("$defs", "credit", "properties", "type", "enum"),
		rangeTypes:           r.strings("$defs", "range", "properties", "type", "enum"),
	}
	for i := range len(r.list("$defs", "cvssV3", "allOf")) {
		c.cvssV3 = append(c.cvssV3, r.pattern("$defs", "cvssV3", "allOf", fmt.Sprint(i), "pattern"))
	}
	if len(c.cvssV3) == 0 && r.err == nil {
		r.err = fmt.Errorf("schema: $defs/cvssV3 has no patterns")
	}
	return c, r.err
}

// schemaReader looks values up in a decoded schema by path, keeping the
// first failure.
type schemaReader struct {
	root any
	err  error
}

func (r *schemaReader) lookup(path ...string) any {
	node := r.root
	for _, key := range path {
		switch n := node.(type) {
		case map[string]any:
			node = n[key]
		case []any:
			var i int
			if _, err := fmt.Sscan(key, &i); err != nil || i < 0 || i >= len(n) {
				node = nil
			} else {
				node = n[i]
			}
		default:
			node = nil
		}
	}
	if node == nil && r.err == nil {
		r.err = fmt.Errorf("schema: nothing at /%s", strings.Join(path, "/"))
	}
	return node
}

func (r *schemaReader) pattern(path ...string) *regexp.Regexp {
	s, _ := r.lookup(path...).(string)
	re, err := regexp.Compile(s)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("schema: /%s: %w", strings.Join(path, "/"), err)
	}
	return re
}

func (r *schemaReader) list(path ...string) []any {
	l, _ := r.lookup(path...).([]any)
	return l
}

func (r *schemaReader) strings(path ...string) []string {
	var out []string
	for _, x := range r.list(path...) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 && r.err == nil {
		r.err = fmt.Errorf("schema: no strings at /%s", strings.Join(path, "/"))
	}
	return out
}

// record checks the schema's rules (ValidateStrict's extra rules are
// StrictProblems').
func (c *conformanceRules) record(v *Vulnerability) bool {
	if v.ID == "" || !c.recordID.MatchString(v.ID) || !c.time(v.Modified) ||
		!c.optionalTime(v.Published) || !c.optionalTime(v.Withdrawn) {
		return false
	}
	if v.SchemaVersion != SchemaVersion || len(v.Related) > 0 || len(v.Upstream) > 0 {
		return false
	}
	if !allValid(v.ID, v.Summary, v.Details) || !c.ids(v.Aliases) || !c.summary.MatchString(v.Summary) {
		return false
	}
	return c.severities(v.Severity) && all(v.Affected, c.affected) && all(v.References, c.reference) &&
		all(v.Credits, c.credit) && plainDatabaseSpecific(v.DatabaseSpecific)
}

// allValid: every string is valid UTF-8 (encoding/json would replace
// the invalid bytes, so the checked value would not be the written one).
func allValid(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

func all[T any](list []T, ok func(T) bool) bool {
	for _, x := range list {
		if !ok(x) {
			return false
		}
	}
	return true
}

// time: the pattern, and a real instant (the schema's date-time format).
func (c *conformanceRules) time(s string) bool {
	if !c.timestamp.MatchString(s) {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

func (c *conformanceRules) optionalTime(s string) bool { return s == "" || c.time(s) }

func (c *conformanceRules) ids(ids []string) bool {
	return all(ids, func(s string) bool { return utf8.ValidString(s) && c.idItem.MatchString(s) })
}

// severities: CVSS 3.x and 4.0 vectors only (Convert writes no other).
func (c *conformanceRules) severities(list []Severity) bool {
	return all(list, func(s Severity) bool {
		switch s.Type {
		case "CVSS_V3":
			return all(c.cvssV3, func(re *regexp.Regexp) bool { return re.MatchString(s.Score) })
		case "CVSS_V4":
			return c.cvssV4.MatchString(s.Score)
		}
		return false
	})
}

func (c *conformanceRules) affected(a Affected) bool {
	if len(a.Severity) > 0 || a.EcosystemSpecific != nil || a.DatabaseSpecific != nil {
		return false
	}
	if a.Package == nil {
		// Without a package: GIT ranges only, and ranges or versions.
		if len(a.Ranges) == 0 && len(a.Versions) == 0 {
			return false
		}
		if !all(a.Ranges, func(r Range) bool { return r.Type == "GIT" }) {
			return false
		}
	} else if !c.pkg(*a.Package) {
		return false
	}
	return all(a.Versions, func(s string) bool { return s != "" && utf8.ValidString(s) }) && all(a.Ranges, c.rangeOK)
}

func (c *conformanceRules) pkg(p Package) bool {
	if p.Name == "" || !allValid(p.Name, p.Ecosystem, p.PURL) {
		return false
	}
	// An Alpine release has a pattern of its own: left to the validator.
	if !c.ecosystem.MatchString(p.Ecosystem) || c.ecosystemNeedsSuffix.MatchString(p.Ecosystem) || strings.HasPrefix(p.Ecosystem, "Alpine:") {
		return false
	}
	return p.PURL == "" || c.purl.MatchString(p.PURL)
}

// rangeOK: a GIT range (repo and full commit hashes) or an ECOSYSTEM range
// (non-empty values); at least one introduced event, fixed or
// last_affected but not both, each event with exactly one key.
func (c *conformanceRules) rangeOK(r Range) bool {
	if r.DatabaseSpecific != nil || !slices.Contains(c.rangeTypes, r.Type) || !utf8.ValidString(r.Repo) {
		return false
	}
	var git bool
	switch r.Type {
	case "GIT":
		git = true
		if r.Repo == "" {
			return false
		}
	case "ECOSYSTEM":
	default:
		return false
	}
	if r.Repo != "" && !c.repo.MatchString(r.Repo) {
		return false
	}
	var introduced, fixed, lastAffected bool
	for _, e := range r.Events {
		key, val := eventKV(e)
		if countSet(e) != 1 || !utf8.ValidString(val) {
			return false
		}
		switch key {
		case "introduced":
			introduced = true
		case "fixed":
			fixed = true
		case "last_affected":
			lastAffected = true
		}
		if git && !c.gitValue(key, val) {
			return false
		}
	}
	return introduced && !(fixed && lastAffected)
}

func (c *conformanceRules) gitValue(key, val string) bool {
	if key == "introduced" {
		return c.gitIntroduced.MatchString(val)
	}
	return c.gitCommit.MatchString(val)
}

// countSet is how many of the event's keys are written (non-empty).
func countSet(e Event) int {
	n := 0
	for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if s != "" {
			n++
		}
	}
	return n
}

// reference: a known type and an absolute URL that parses (the schema's
// uri format; an IPv6 host is left to the validator).
func (c *conformanceRules) reference(r Reference) bool {
	if !slices.Contains(c.referenceTypes, r.Type) || !utf8.ValidString(r.URL) {
		return false
	}
	u, err := url.Parse(r.URL)
	return err == nil && u.IsAbs() && !strings.Contains(u.Hostname(), ":")
}

func (c *conformanceRules) credit(cr Credit) bool {
	if cr.Name == "" || !utf8.ValidString(cr.Name) || !all(cr.Contact, utf8.ValidString) {
		return false
	}
	return cr.Type == "" || slices.Contains(c.creditTypes, cr.Type)
}

// plainDatabaseSpecific: the object a build writes, with no foreign keys
// (those are copied raw, unchecked).
func plainDatabaseSpecific(d *DatabaseSpecific) bool {
	return d == nil || len(d.Other) == 0
}
