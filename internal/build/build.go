// Package build turns the database sources into the output tree: it loads
// and lints every advisory, reads the resolution locks, converts each
// advisory to an OSV record, validates it, and writes the records, the
// bundle and the site into a temporary directory that replaces the output
// directory only when everything succeeded.
package build

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/progress"
	"github.com/psf/advisory-builder/internal/release"
	"github.com/psf/advisory-builder/internal/workpool"
)

// Options configure a build.
type Options struct {
	// Root is the database root (the directory holding advisories/).
	Root string
	// Out is the output directory; it is replaced as a whole.
	Out string
	// Now is the time lint checks dates against; it never reaches the output.
	Now time.Time
	// Log receives progress and warnings; nil discards them.
	Log io.Writer
	// Progress receives line-based progress of the long steps (a line at
	// each 10% of the records converted, one per stage); nil: none.
	Progress io.Writer
	// SiteBase is the absolute URL the site is served from (feed links).
	SiteBase string
}

// Result summarises a build. Its records carry no JSON (it is on disk);
// use Records for the bytes.
type Result struct {
	Records  []*osv.Record
	Warnings diag.List
}

// Run builds the database. When any source has an error it returns a
// diag.ListError and writes nothing.
func Run(opts Options) (*Result, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	recs, warnings, _, err := records(opts.Root, opts.Now, recordOpts{prog: opts.Progress})
	if err != nil {
		return nil, err
	}
	reportWarnings(opts.Log, warnings)
	stage(opts.Progress, "build: writing the bundle, the site and SHA256SUMS of %s", plaintext.Count(len(recs), "record", "records"))
	if err := writeTree(opts, recs); err != nil {
		return nil, err
	}
	stage(opts.Progress, "build: wrote %s", opts.Out)
	return &Result{Records: recs, Warnings: warnings}, nil
}

// Records loads, lints, resolves and converts every advisory of the
// database at root, sorted by ID, each with its validated JSON. Errors in
// sources come back as a diag.ListError; warnings are returned beside the
// records.
func Records(root string, now time.Time) ([]*osv.Record, diag.List, error) {
	recs, ds, _, err := records(root, now, recordOpts{keepJSON: true})
	return recs, ds, err
}

// Judgeable is Records for judging versions (`advisory check`): an
// advisory whose source has lint errors is not converted but returned
// among broken (with its errors in the diagnostics), so that the caller
// can say it cannot judge it instead of refusing to answer at all. check
// prints neither `modified` nor the records, so the history is not read
// and the records are neither encoded nor validated (they carry no JSON;
// TestJudgeableRecordsValid holds them to the schema); lint reports its
// errors but skips the checks that only warn. Errors that are
// not an advisory's (the products configuration, a lock, a release list)
// still stop it.
func Judgeable(root string, now time.Time) (recs []*osv.Record, ds diag.List, broken []string, err error) {
	return records(root, now, recordOpts{skipBroken: true, undated: true, unvalidated: true})
}

// recordOpts tune records: keepJSON keeps each record's bytes; skipBroken
// sets aside advisories with lint errors instead of failing; undated does
// not read the database's history (each `modified` comes from the authored
// times only: for consumers that never show it, which would otherwise pay
// for the walk over every version of the locks); unvalidated neither
// encodes nor validates the records, and lint skips the checks that only
// warn (for consumers that only judge, and print only errors); prog
// receives progress lines.
type recordOpts struct {
	keepJSON, skipBroken, undated, unvalidated bool
	prog                                       io.Writer
}

// stage writes a progress line when progress is wanted.
func stage(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}

// records is Records; without keepJSON each record's bytes are dropped once
// validated (the bundle encodes them again one at a time, so a large build
// never holds every record's text at once).
func records(root string, now time.Time, o recordOpts) ([]*osv.Record, diag.List, []string, error) {
	keepJSON, prog := o.keepJSON, o.prog
	cfg, err := product.Load(root)
	if err != nil {
		return nil, nil, nil, err
	}
	// The locks and release lists are read while the sources load.
	var locks map[string]*lock.Lock
	var releases map[string]*release.List
	var lockErr, releaseErr error
	lockRead := make(chan struct{})
	go func() {
		defer close(lockRead)
		if locks, lockErr = readLocks(root, cfg); lockErr == nil {
			releases, releaseErr = release.ReadAll(root, cfg)
		}
	}()
	as, ds := advisory.LoadAll(root, cfg)
	<-lockRead
	if err := cmp.Or(lockErr, releaseErr); err != nil {
		return nil, nil, nil, err
	}
	ds = append(ds, lint.All(as, lint.Options{Now: now, Products: cfg, Resolved: lock.Resolved(locks), ErrorsOnly: o.unvalidated})...)
	ds.Sort()
	var broken []string
	if o.skipBroken {
		as, broken = setAsideBroken(as, ds)
	}
	if err := ds.Err(); err != nil && !o.skipBroken {
		return nil, nil, nil, err
	}
	where := make([]advisory.Position, len(as))
	for i, a := range as {
		where[i] = a.Pos.Of("branches") // where a warning about the versions points
		a.Pos = nil                     // positions serve diagnostics only; free them for large databases
	}
	ds = append(ds, orphanEntries(root, as, locks)...)
	var times inputTimes
	if !o.undated {
		if times, err = landingTimes(root, now, cfg, as, locks); err != nil {
			return nil, nil, nil, err
		}
		ds = append(ds, times.notes...)
	}
	stage(prog, "build: %s loaded and checked", plaintext.Count(len(as), "advisory", "advisories"))
	count := progress.NewCounter(prog, "build: converting and validating records", len(as))
	recs := make([]*osv.Record, len(as))
	warns := make([]*diag.Diagnostic, len(as))
	err = workpool.Each(len(as), workpool.CPUWorkers(), func(i int) error {
		a := as[i]
		var err error
		recs[i], warns[i], err = convert(a, cfg[a.Product], locks[a.Product], releases[a.Product], landed{source: times.sources[a.Path], entry: times.entries[a.Product][a.ID], product: times.products[a.Product]}, where[i], !o.unvalidated)
		switch {
		case err != nil || o.unvalidated:
		case keepJSON:
			err = withJSON(recs[i])
		default:
			recs[i].JSON = nil
		}
		count.Add(1)
		return err
	})
	if err != nil {
		return nil, nil, nil, err
	}
	for _, w := range warns {
		if w != nil {
			ds = append(ds, *w)
		}
	}
	return recs, ds, broken, nil
}

// setAsideBroken keeps the advisories with no error diagnostic on their
// file and lists every file that has one (sorted, once each), loaded or
// not.
func setAsideBroken(as []*advisory.Advisory, ds diag.List) (sound []*advisory.Advisory, broken []string) {
	bad := map[string]bool{}
	for _, d := range ds {
		if d.Severity == diag.Error && !bad[d.File] {
			bad[d.File] = true
			broken = append(broken, d.File)
		}
	}
	for _, a := range as {
		if !bad[a.Path] {
			sound = append(sound, a)
		}
	}
	slices.Sort(broken)
	return sound, broken
}

func readLocks(root string, cfg product.Config) (map[string]*lock.Lock, error) {
	locks := map[string]*lock.Lock{}
	for _, name := range cfg.Names() {
		l, err := lock.Read(root, name)
		if err != nil {
			return nil, err
		}
		if err := lock.Check(root, l, cfg[name]); err != nil {
			return nil, err
		}
		locks[name] = l
	}
	return locks, nil
}

// inputTimes is when each input of the records landed on the database's
// main line (empty outside a git repository), and notes on dates it could
// not believe.
type inputTimes struct {
	landedTimesOf
	notes diag.List
}

// landingTimes dates, from the database's history, each source's current
// content, each lock entry's current content and each product's record
// fields.
func landingTimes(root string, now time.Time, cfg product.Config, as []*advisory.Advisory, locks map[string]*lock.Lock) (inputTimes, error) {
	var it inputTimes
	h, err := openHistory(root, now)
	if err != nil || h == nil {
		return it, err
	}
	files := make([]string, len(as))
	for i, a := range as {
		files[i] = a.Path
	}
	found, err := h.Times(files, lockFiles(root, locks), product.ConfigPath(root), cfg)
	if err != nil {
		return it, err
	}
	it.landedTimesOf, it.notes = *found, h.backdatedNotes()
	return it, nil
}

// reportWarnings prints resolution warnings in full and counts the lint
// warnings, which `advisory lint` lists.
func reportWarnings(w io.Writer, ds diag.List) {
	lintWarnings := 0
	for _, d := range ds {
		if d.Rule == "lock" || d.Rule == historyRule {
			fmt.Fprintln(w, d)
		} else {
			lintWarnings++
		}
	}
	if lintWarnings > 0 {
		fmt.Fprintf(w, "%d lint warnings; run `advisory lint` to see them\n", lintWarnings)
	}
}
