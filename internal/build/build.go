// Package build turns the database sources into the output tree: it loads
// and lints every advisory, reads the resolution locks, converts each
// advisory to an OSV record, validates it, and writes the records, the
// bundle and the site into a temporary directory that replaces the output
// directory only when everything succeeded.
package build

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/product"
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
	// Record, when set, is called with each record once it is written, in
	// ID order, on one goroutine, its JSON still set; an error stops the
	// build (nothing is written). A caller that keeps the records holds
	// them all: the build itself keeps only a light summary of each.
	Record func(*osv.Record) error
}

// Result summarises a build.
type Result struct {
	// Count is the number of records built.
	Count    int
	Warnings diag.List
}

// Run builds the database. When any source has an error it returns a
// diag.ListError and writes nothing.
//
// It streams: the products, locks, release lists and history dates are read
// first (the locks checked and packed, lock.Packed: each entry is decoded
// when its advisory comes); then each advisory is loaded, linted,
// converted, validated and written (its record, its bundle entry, its
// page) on the worker pool, and only its identity and a light summary of
// it are kept for the checks across files and the indexes, packed in byte
// arenas without pointers (advisory.Identities, the site's and the
// bundle's own) so that what the build holds costs the garbage collector
// nothing to scan: the records, pages and bundle entries in memory at once
// are bounded by the workers, not by the database. What spans files
// (unique IDs and aliases, lock entries with no advisory) is checked at
// the end over the advisories' identities. The tree is written into a
// temporary directory that replaces the output only when everything
// succeeded.
func Run(opts Options) (*Result, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	db, err := openDatabase(opts.Root, opts.Now, recordOpts{prog: opts.Progress})
	if err != nil {
		return nil, err
	}
	stage(opts.Progress, "build: %s to load, check, convert and write", plaintext.Count(len(db.sources), "advisory", "advisories"))
	var res *Result
	err = writeTree(opts, func(t *tree) error {
		r, err := db.stream(recordOpts{prog: opts.Progress}, t)
		if err != nil {
			return err
		}
		res = r
		reportWarnings(opts.Log, res.Warnings)
		if t == nil {
			return nil
		}
		stage(opts.Progress, "build: writing the index pages, the feed, the indexes and SHA256SUMS of %s", plaintext.Count(res.Count, "record", "records"))
		return t.close()
	})
	if err != nil {
		return nil, err
	}
	stage(opts.Progress, "build: wrote %s", opts.Out)
	return res, nil
}

// Records loads, lints, resolves and converts every advisory of the
// database at root, sorted by ID, each with its validated JSON. Errors in
// sources come back as a diag.ListError; warnings are returned beside the
// records.
func Records(root string, now time.Time) ([]*osv.Record, diag.List, error) {
	recs, ds, _, err := records(root, now, recordOpts{})
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

// recordOpts tune a stream: skipBroken sets aside advisories with lint
// errors instead of failing; undated does not read the database's history
// (each `modified` comes from the authored times only: for consumers that
// never show it, which would otherwise pay for the walk over every version
// of the locks); unvalidated neither encodes nor validates the records, and
// lint skips the checks that only warn (for consumers that only judge, and
// print only errors); prog receives progress lines.
type recordOpts struct {
	skipBroken, undated, unvalidated bool
	prog                             io.Writer
}

// stage writes a progress line when progress is wanted.
func stage(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}

// records is Records and Judgeable: the stream, every record kept.
func records(root string, now time.Time, o recordOpts) ([]*osv.Record, diag.List, []string, error) {
	db, err := openDatabase(root, now, o)
	if err != nil {
		return nil, nil, nil, err
	}
	var recs []*osv.Record
	withBytes := func(r *osv.Record) (*osv.Record, error) {
		if o.unvalidated { // judged only: never encoded
			return r, nil
		}
		return r, withJSON(r) // a conforming record was not encoded by convert
	}
	res, broken, err := each(db, o, withBytes, func(r *osv.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	if len(broken) > 0 { // a check across files found more
		bad := map[string]bool{}
		for _, f := range broken {
			bad[f] = true
		}
		recs = slices.DeleteFunc(recs, func(r *osv.Record) bool { return bad[r.Advisory.Path] })
	}
	return recs, res.Warnings, broken, nil
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

// readLocks reads and checks every product's lock, packed: the stream
// decodes an entry when its advisory comes.
// readLocks reads and checks every product's lock, each on its own
// goroutine (CPython's is most of the time); the error returned is the
// first product's, in name order, whichever finished first.
func readLocks(root string, cfg product.Config) (map[string]*lock.Packed, error) {
	names := cfg.Names()
	read := make([]*lock.Packed, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { read[i], errs[i] = lock.ReadPacked(root, cfg[name]) })
	}
	wg.Wait()
	locks := map[string]*lock.Packed{}
	for i, name := range names {
		if errs[i] != nil {
			return nil, errs[i]
		}
		locks[name] = read[i]
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
// fields. The sources are dated first, while the locks are read: locks
// waits for them and returns false when they could not be read (then
// nothing is dated). Progress lines go to prog (nil: none).
func landingTimes(root string, now time.Time, cfg product.Config, files []string, locks func() (map[string]*lock.Packed, bool), prog io.Writer) (inputTimes, error) {
	var it inputTimes
	h, err := openHistory(root, now)
	if err != nil || h == nil {
		return it, err
	}
	h.prog = prog
	found, err := h.timesAwaiting(files, func() ([]lockFile, bool) {
		l, ok := locks()
		return lockFiles(root, l), ok
	}, product.ConfigPath(root), cfg)
	if err != nil || found == nil {
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
