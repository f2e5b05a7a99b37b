package ids

import (
	"path/filepath"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
)

// Lint is `advisory lint`: the given paths, or with none the whole
// database (every source, the ID counter and the release lists), checked
// against now and the products' locks. The pipeline runs it on the whole
// database before it assigns IDs or pushes anything, so what lint refuses
// never reaches main.
func Lint(root string, paths []string, cfg product.Config, now time.Time) diag.List {
	var as []*advisory.Advisory
	var ds diag.List
	if len(paths) == 0 {
		as, ds = advisory.LoadAll(root, cfg)
		ds = append(ds, CheckCounter(root)...)
	} else {
		as, ds = advisory.LoadPaths(paths, cfg)
		ds = append(ds, advisory.UniqueAgainst(as, restOf(root, cfg, as))...)
	}
	locks := map[string]*lock.Lock{}
	for _, n := range cfg.Names() {
		if l, err := lock.Read(root, n); err == nil {
			locks[n] = l
		} else {
			ds = append(ds, diag.Diagnostic{File: lock.Path(root, n), Line: 1, Col: 1, Severity: diag.Error, Rule: "lock", Message: diag.Escape(err.Error())})
		}
	}
	if len(paths) == 0 {
		ds = append(ds, release.Diagnose(root, cfg)...)
	}
	ds = append(ds, lint.All(as, lint.Options{Now: now, Products: cfg, Resolved: lock.Resolved(locks)})...)
	ds.Sort()
	return ds
}

// restOf is the database under root without the given files (their
// loaded versions stand for them): what their IDs and aliases must not
// repeat. A root without a database gives none.
func restOf(root string, cfg product.Config, given []*advisory.Advisory) []*advisory.Advisory {
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	mine := map[string]bool{}
	for _, a := range given {
		mine[abs(a.Path)] = true
	}
	all, _ := advisory.LoadAll(root, cfg)
	var rest []*advisory.Advisory
	for _, a := range all {
		if !mine[abs(a.Path)] {
			rest = append(rest, a)
		}
	}
	return rest
}
