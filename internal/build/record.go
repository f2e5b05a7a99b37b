package build

import (
	"fmt"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// convert makes the record of one advisory. A lock entry computed from other
// inputs is not used (the record keeps its authored events) and is reported.
func convert(a *advisory.Advisory, p *product.Product, l *lock.Lock, committed time.Time) (*osv.Record, *diag.Diagnostic, error) {
	var warn *diag.Diagnostic
	res := l.Advisories[a.ID]
	if res != nil && res.InputDigest != lock.InputDigest(a) {
		warn = &diag.Diagnostic{File: a.Path, Line: 1, Col: 1, Severity: diag.Warning, Rule: "lock",
			Message: fmt.Sprintf("the resolution in %s is stale for %s (its range changed); versions are left out until `advisory resolve` runs", lock.Path("", a.Product), a.ID)}
		res = nil
	}
	v := osv.Convert(a, p, res, Modified(a, res, committed))
	data, err := osv.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	if err := osv.ValidateStrict(data); err != nil {
		return nil, nil, fmt.Errorf("%s: the generated OSV record is invalid: %v", a.Path, err)
	}
	return &osv.Record{Advisory: a, Product: p, Resolution: res, Vuln: v, JSON: data}, warn, nil
}

// Modified derives a record's `modified` time from its inputs, never from
// the clock: the latest of published, withdrawn, the authored `modified`
// floor, the commit time of the source's current content, and the date of
// the newest release tag that changed its resolution.
func Modified(a *advisory.Advisory, res *lock.Entry, committed time.Time) string {
	latest := committed
	stamps := []string{a.Published, a.Withdrawn, a.Modified}
	if res != nil {
		stamps = append(stamps, res.Changed)
	}
	for _, s := range stamps {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil && t.After(latest) {
			latest = t
		}
	}
	return latest.UTC().Format(time.RFC3339Nano)
}
