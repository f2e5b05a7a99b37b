package build

import (
	"fmt"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
	"github.com/psf/advisory-builder/internal/verdict"
)

// convert makes the record of one advisory from its version data (package
// verdict). A lock entry computed from other inputs is not used (the record
// keeps its authored events and facts) and is reported, as is an advisory
// with no version data at all.
// landed is when an advisory's inputs landed on the database's main line:
// its source's current content, its lock entry's current content and its
// product's record fields (zero when unknown: outside a git repository,
// or no entry).
type landed struct {
	source, entry, product time.Time
}

// Without validate the record is not encoded nor checked against the OSV
// schema (rec.JSON stays nil): for judging versions only, which reads the
// typed record; every record of a build is validated (and tests hold
// unvalidated records to the schema, see TestJudgeableRecordsValid).
// Validating is answered from the typed record when osv.Conforms can vouch
// for it (every record of an ordinary database: TestBuiltRecordsConform),
// and then the record is not encoded here either (rec.JSON stays nil; the
// bundle encodes it as it writes it); otherwise the encoded record goes
// through osv.ValidateStrict, whose error names the field, and keeps its
// bytes.
func convert(a *advisory.Advisory, p *product.Product, l *lock.Packed, rl knownReleases, at landed, where advisory.Position, validate bool) (*osv.Record, *diag.Diagnostic, error) {
	res := l.Entry(a.ID)
	s := verdict.Of(a, res)
	s.SawAll, s.Releases = rl.sawAll, rl.names
	warn := versionsWarning(a, res, s, where)
	times := []time.Time{at.source, at.product}
	if s.Entry != nil { // a stale entry is not used: its date does not count
		times = append(times, at.entry)
	}
	v := osv.Convert(a, p, s, Modified(a, times...))
	rec := &osv.Record{Advisory: a, Product: p, Summary: s, Resolution: s.Entry, Vuln: v}
	if !validate || osv.Conforms(v) {
		return rec, warn, nil
	}
	data, err := osv.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	if err := osv.ValidateStrict(data); err != nil {
		return nil, nil, fmt.Errorf("%s: the generated OSV record is invalid: %v", a.Path, err)
	}
	rec.JSON = data
	return rec, warn, nil
}

// sawAll reports whether the lock was resolved from exactly the known
// releases (its tag digest is the release list's).
func sawAll(l *lock.Packed, rl *release.List) bool {
	if l == nil || rl == nil || l.TagsDigest == "" {
		return false
	}
	n, d, ok := rl.Digest()
	return ok && n == l.Tags && d == l.TagsDigest
}

// versionsWarning reports, at the advisory's branches (where), a stale
// lock entry, and an advisory (not withdrawn) whose versions nobody can
// tell: its record says versions_source unknown, which scanners read as
// "not affected", so publish refuses it.
func versionsWarning(a *advisory.Advisory, res *lock.Entry, s verdict.Summary, where advisory.Position) *diag.Diagnostic {
	var msg string
	switch {
	case res != nil && s.Source != verdict.Computed:
		msg = fmt.Sprintf("the resolution in %s is stale for %s (its range changed); until `advisory resolve` runs, ", lock.Path("", a.Product), a.ID)
		if s.Source == verdict.Authored {
			msg += "its versions come from the authored release facts"
		} else {
			msg += "its versions are unknown (no release facts either)"
		}
	case s.Source == verdict.Unknown && a.Withdrawn == "":
		msg = fmt.Sprintf("%s has no version data: no resolution in %s and no release facts (first_affected, fixed_in) on its branches; check and the site will say they cannot tell, scanners would read the record as affecting no version, and publish refuses it", a.ID, lock.Path("", a.Product))
	default:
		return nil
	}
	if where.Line == 0 {
		where = advisory.Position{Line: 1, Col: 1}
	}
	return &diag.Diagnostic{File: a.Path, Line: where.Line, Col: where.Col, Severity: diag.Warning, Rule: "lock", Message: msg}
}

// Modified derives a record's `modified` time from its inputs, never from
// the clock: the latest of published, withdrawn, the authored `modified`
// floor and the given landing times (when the source's current content and
// the lock entry's current content landed on the database's main line).
// The lock's upstream tag date (Entry.Changed) is not an input: whoever
// tags a release writes it, back-dated or in the future.
func Modified(a *advisory.Advisory, landed ...time.Time) string {
	var latest time.Time
	for _, t := range landed {
		if t.After(latest) {
			latest = t
		}
	}
	for _, s := range []string{a.Published, a.Withdrawn, a.Modified} {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil && t.After(latest) {
			latest = t
		}
	}
	return latest.UTC().Format(time.RFC3339Nano)
}

// withJSON gives a validated record its bytes when the caller keeps them
// (Records) and convert did not need to encode it.
func withJSON(rec *osv.Record) error {
	if rec.JSON != nil {
		return nil
	}
	data, err := osv.Marshal(rec.Vuln)
	rec.JSON = data
	return err
}
