package build

import (
	"slices"
	"sync/atomic"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/progress"
	"github.com/psf/advisory-builder/internal/release"
	"github.com/psf/advisory-builder/internal/workpool"
)

// database is what every advisory's record needs, read before any advisory
// is: the products, their locks and release lists, the list of sources and
// (for a dated build) when each input landed. It holds no advisory.
type database struct {
	root     string
	now      time.Time
	cfg      product.Config
	locks    map[string]*lock.Packed // decoded one entry at a time
	releases map[string]knownReleases
	sources  []advisory.Source
	layout   diag.List // what listing the sources found wrong
	times    inputTimes
	// timesErr is why the history could not be read: reported when no
	// source has an error (errors in sources come first, as they did when
	// the history was read after lint).
	timesErr error
}

// knownReleases is a product's release list as every record of the product
// reads it: its names (one slice, shared) and whether the lock saw exactly
// those releases.
type knownReleases struct {
	names  []string
	sawAll bool
}

// openDatabase reads the database-wide inputs of root.
func openDatabase(root string, now time.Time, o recordOpts) (*database, error) {
	cfg, err := product.Load(root)
	if err != nil {
		return nil, err
	}
	// The locks are read while the release lists and the sources are
	// listed and the sources dated.
	var locks map[string]*lock.Packed
	var locksErr error
	locksRead := make(chan struct{})
	go func() {
		defer close(locksRead)
		locks, locksErr = readLocks(root, cfg)
	}()
	lists, listsErr := release.ReadAll(root, cfg)
	sources, layout := advisory.Sources(root, cfg)
	var times inputTimes
	var timesErr error
	if !o.undated {
		files := make([]string, len(sources))
		for i, s := range sources {
			files[i] = s.Path
		}
		times, timesErr = landingTimes(root, now, cfg, files, func() (map[string]*lock.Packed, bool) {
			<-locksRead
			return locks, locksErr == nil
		}, o.prog)
	}
	<-locksRead
	if locksErr != nil {
		return nil, locksErr
	}
	if listsErr != nil {
		return nil, listsErr
	}
	db := &database{root: root, now: now, cfg: cfg, locks: locks, releases: map[string]knownReleases{}, times: times, timesErr: timesErr}
	for _, name := range cfg.Names() {
		db.releases[name] = knownReleases{names: lists[name].Names(), sawAll: sawAll(locks[name], lists[name])}
	}
	db.sources, db.layout = sources, layout
	return db, nil
}

// streamWorkers is how many advisories go through the stream at once. Each
// reads a file and creates two, so more workers than CPUs keep the CPUs
// busy while the file system answers: on 2 loaded cores, 8 workers built
// 2,000 advisories in 7.1-8.0 s against 12.5-13.8 s with 2
// (BenchmarkStreamWorkers, docs/benchmarks.md). Memory grows with it: a
// few advisories per worker are in flight. A variable for the benchmarks.
var streamWorkers = func() int { return workpool.IOWorkers }

// streamed is one advisory through the stream: its load and lint
// diagnostics, its identity (nil when it did not load), and when it was
// converted, its record's warning and what work made of the record.
type streamed[T any] struct {
	diags     diag.List
	ident     *advisory.Identity
	converted bool
	warn      *diag.Diagnostic
	out       T
	err       error // converting, validating or work failed
}

// each streams every source, in ID order, through load, lint, convert,
// validate and work on the worker pool, and hands each result of work to
// keep on the calling goroutine, in ID order; an advisory is released once
// work is done with it. After the first error in a source (unless
// o.skipBroken), or the first failure of convert, work or keep, the rest
// are only loaded and linted, so that every error in the sources is still
// reported, all at once. At the end it checks what spans files over the
// advisories' identities.
//
// The result's warnings are, in order: lint's (sorted), lock entries with
// no advisory, the history's notes, the records' own (in ID order). With
// o.skipBroken, broken lists every file with an error (sorted); results of
// such a file may have reached keep before a check across files found the
// error, and the caller drops them.
func each[T any](db *database, o recordOpts, work func(*osv.Record) (T, error), keep func(T) error) (res *Result, broken []string, err error) {
	lo := lint.Options{Now: db.now, Products: db.cfg, Resolved: lock.ResolvedPacked(db.locks), ErrorsOnly: o.unvalidated}
	var halt atomic.Bool // set once nothing more is converted
	halt.Store(db.timesErr != nil)
	count := progress.NewCounter(o.prog, "build: loading, checking, converting and writing records", len(db.sources))
	var (
		diags   diag.List
		kept    advisory.Identities // packed while the stream runs
		warns   []warned
		first   error                // the first failure to convert, work or keep
		stopped = db.timesErr != nil // an error came before, in ID order
		n       int
	)
	stop := func() { stopped = true; halt.Store(true) }
	err = workpool.Ordered(len(db.sources), streamWorkers(), func(i int) (streamed[T], error) {
		return through(db, db.sources[i], lo, !o.unvalidated, &halt, work), nil
	}, func(_ int, r streamed[T]) error {
		count.Add(1)
		diags = append(diags, r.diags...)
		if r.ident != nil {
			if err := kept.Add(*r.ident); err != nil {
				return err
			}
		}
		if r.diags.HasErrors() && !o.skipBroken {
			stop()
		}
		switch {
		case stopped || (!r.converted && r.err == nil):
		case r.err != nil:
			first = r.err
			stop()
		default:
			if err := keep(r.out); err != nil {
				first = err
				stop()
				return nil
			}
			n++
			if r.warn != nil {
				warns = append(warns, warned{path: r.ident.Path, d: *r.warn})
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	idents, err := kept.All()
	if err != nil {
		return nil, nil, err
	}
	ds := slices.Concat(db.layout, diags)
	ds = append(ds, lint.Database(idents)...)
	ds.Sort()
	if o.skipBroken {
		broken = brokenFiles(ds)
		idents, warns = dropBroken(idents, warns, broken)
	} else if err := ds.Err(); err != nil {
		return nil, nil, err
	}
	if db.timesErr != nil {
		return nil, nil, db.timesErr
	}
	if first != nil {
		return nil, nil, first
	}
	ds = append(ds, orphanEntries(db.root, idents, db.locks)...)
	ds = append(ds, db.times.notes...)
	for _, w := range warns {
		ds = append(ds, w.d)
	}
	return &Result{Count: n, Warnings: ds}, broken, nil
}

// warned is a record's warning and its file.
type warned struct {
	path string
	d    diag.Diagnostic
}

// through loads, lints and, unless the stream has halted or the source has
// an error, converts one advisory and runs work on its record. Only its
// identity outlives it.
func through[T any](db *database, src advisory.Source, lo lint.Options, validate bool, halt *atomic.Bool, work func(*osv.Record) (T, error)) streamed[T] {
	var r streamed[T]
	a, data, ds := src.LoadData()
	r.diags = ds
	if a == nil {
		return r
	}
	id := a.Identity()
	r.ident = &id
	r.diags = append(r.diags, lint.Advisory(a, lo)...)
	if r.diags.HasErrors() || halt.Load() {
		return r
	}
	where := a.Pos.Of("branches") // where a warning about the versions points
	rec, warn, err := convert(a, db.cfg[a.Product], db.locks[a.Product], db.releases[a.Product], db.landed(a, data), where, validate)
	if err != nil {
		r.err = err
		return r
	}
	r.out, r.err = work(rec)
	r.converted, r.warn = r.err == nil, warn
	return r
}

// landed is when an advisory's inputs landed (zero when undated): data
// is its source's content as loaded.
func (db *database) landed(a *advisory.Advisory, data []byte) landed {
	t := &db.times
	return landed{source: t.source(a.Path, data), entry: t.entries[a.Product][a.ID], product: t.products[a.Product]}
}

// brokenFiles lists every file with an error diagnostic, sorted, once each.
func brokenFiles(ds diag.List) []string {
	_, broken := setAsideBroken(nil, ds)
	return broken
}

// dropBroken removes the identities and warnings of broken files.
func dropBroken(idents []advisory.Identity, warns []warned, broken []string) ([]advisory.Identity, []warned) {
	if len(broken) == 0 {
		return idents, warns
	}
	bad := map[string]bool{}
	for _, f := range broken {
		bad[f] = true
	}
	idents = slices.DeleteFunc(idents, func(a advisory.Identity) bool { return bad[a.Path] })
	warns = slices.DeleteFunc(warns, func(w warned) bool { return bad[w.path] })
	return idents, warns
}
