package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/site"
)

const sumsFile = "SHA256SUMS"

// errNoExchange: the system or file system cannot swap two directories.
var errNoExchange = errors.New("this system cannot swap two directories atomically, so the previous output would go missing for a moment; delete it yourself or choose a new --out")

// writeTree writes the whole output into a fresh temporary directory beside
// opts.Out, then swaps it into place: the output is either the complete new
// tree or the previous one, never half-written and never missing. It
// replaces only a directory an earlier build marked as its output.
//
// fill writes the tree. When the output directory cannot be used, fill
// still runs, with no tree (it checks and converts, writing nothing), so
// that errors in the sources are reported before a problem with --out, as
// they would be by a build that reads everything before writing.
func writeTree(opts Options, fill func(*tree) error) error {
	out := filepath.Clean(opts.Out)
	tmp, unlock, err := startTree(opts, out)
	if err != nil {
		return orFirst(fill(nil), err)
	}
	defer os.RemoveAll(tmp)
	defer unlock()
	t, err := newTree(tmp, opts)
	if err != nil {
		return orFirst(fill(nil), err)
	}
	if err := fill(t); err != nil {
		t.abort()
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	return swap(tmp, out)
}

// orFirst is first when it is an error, else then.
func orFirst(first, then error) error {
	if first != nil {
		return first
	}
	return then
}

// startTree checks the output directory, clears what crashed builds left
// beside it, and makes the marked and locked temporary directory the tree
// is written into.
func startTree(opts Options, out string) (tmp string, unlock func(), err error) {
	if err := checkOut(opts.Root, out); err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", nil, err
	}
	cleanLeftovers(out, opts.Log)
	tmp, err = os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+leftoverInfix)
	if err != nil {
		return "", nil, err
	}
	unlock, err = lockDir(tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return "", nil, err
	}
	// The marker goes in first: a later build removes a leftover tree only
	// when it carries it, so a look-alike directory is never taken.
	if err := os.WriteFile(filepath.Join(tmp, markerFile), []byte(markerText), 0o644); err != nil {
		unlock()
		os.RemoveAll(tmp)
		return "", nil, err
	}
	return tmp, unlock, nil
}

// tree is the output being written: the bundle and the site, one record
// at a time (work on any goroutine, keep in ID order), then their indexes
// and SHA256SUMS (close).
type tree struct {
	root   *os.Root
	bundle *bundle.Writer
	site   *site.Writer
	record func(*osv.Record) error // Options.Record
	hashes *bundle.Hashes          // the sums of what is written whole, so SHA256SUMS need not read it back
}

// treeEntry is one record written, waiting for its turn to be kept.
type treeEntry struct {
	rec    *osv.Record
	bundle bundle.Entry
	site   site.Entry
}

func newTree(dir string, opts Options) (*tree, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	t := &tree{root: root, record: opts.Record, hashes: bundle.NewHashes()}
	if t.bundle, err = bundle.NewWriter(root, t.hashes); err != nil {
		root.Close()
		return nil, fmt.Errorf("writing the bundle: %w", err)
	}
	// The site lists the products the records name (nil configuration).
	if t.site, err = site.NewWriter(root, nil, site.Options{BaseURL: opts.SiteBase, Hashes: t.hashes}); err != nil {
		t.bundle.Abort()
		root.Close()
		return nil, fmt.Errorf("writing the site: %w", err)
	}
	return t, nil
}

// work writes a record's file, bundle entry and page.
func (t *tree) work(r *osv.Record) (treeEntry, error) {
	if t.record != nil { // Options.Record hands the record over with its bytes
		if err := withJSON(r); err != nil {
			return treeEntry{}, err
		}
	}
	b, err := t.bundle.Prepare(r)
	if err != nil {
		return treeEntry{}, fmt.Errorf("writing the bundle: %w", err)
	}
	s, err := t.site.Page(r)
	if err != nil {
		return treeEntry{}, fmt.Errorf("writing the site: %w", err)
	}
	return treeEntry{rec: r, bundle: b, site: s}, nil
}

// keep adds a written record to the archives and the site's indexes, and
// hands it to Options.Record.
func (t *tree) keep(e treeEntry) error {
	if err := t.bundle.Add(e.bundle); err != nil {
		return fmt.Errorf("writing the bundle: %w", err)
	}
	if err := t.site.Add(e.site); err != nil {
		return fmt.Errorf("writing the site: %w", err)
	}
	if t.record != nil {
		return t.record(e.rec)
	}
	return nil
}

// close writes the bundle's and the site's indexes, at once (they share
// nothing but the sums, which take concurrent writers: on two cores the
// site's index pages and search index overlap the bundle's archives), then
// SHA256SUMS. When both fail, the bundle's error is the one returned.
func (t *tree) close() error {
	defer t.root.Close()
	var bundleErr error
	var wg sync.WaitGroup
	wg.Go(func() { bundleErr = t.bundle.Close() })
	siteErr := t.site.Close()
	wg.Wait()
	if bundleErr != nil {
		return fmt.Errorf("writing the bundle: %w", bundleErr)
	}
	if siteErr != nil {
		return fmt.Errorf("writing the site: %w", siteErr)
	}
	if err := bundle.WriteSumsKnown(t.root, t.hashes); err != nil {
		return fmt.Errorf("writing %s: %w", sumsFile, err)
	}
	return nil
}

// abort closes what the tree holds open after a failure.
func (t *tree) abort() {
	t.bundle.Abort()
	t.site.Abort()
	t.root.Close()
}

// stream runs every advisory through the tree (each); with no tree it only
// checks and converts.
func (db *database) stream(o recordOpts, t *tree) (*Result, error) {
	if t == nil {
		res, _, err := each(db, o, func(*osv.Record) (struct{}, error) { return struct{}{}, nil }, func(struct{}) error { return nil })
		return res, err
	}
	res, _, err := each(db, o, t.work, t.keep)
	return res, err
}
