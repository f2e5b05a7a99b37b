package osvimport

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/regularfile"
)

// Options configure an import.
type Options struct {
	// From is a published database (holding advisories/<product>/*.json) or
	// a directory of records of Product.
	From string
	// Root is the database root the sources are written under.
	Root string
	// Product is the product of records found directly in From.
	Product string
	// Force overwrites existing sources.
	Force bool
	// SkipExisting leaves a record whose ID the database already holds
	// unimported (reported in Result.Skipped) instead of refusing it.
	SkipExisting bool
	// Check is the semantic check every converted source must pass before
	// anything is written: the command passes lint's rules (this package
	// does not import the lint stage). Required.
	Check func(*advisory.Advisory) diag.List
}

// source is one converted record waiting to be written.
type source struct {
	path string
	data []byte
	a    *advisory.Advisory
	// entry is the resolution of a record this project built with a
	// computed summary: it goes to the product's lock.
	entry *lock.Entry
	// from is the record file it was converted from; upstream is the
	// record's own ID there (PYSEC-2023-228 for an imported placeholder).
	from, upstream string
}

// MaxRecordSize caps one record file. Published records are a few KB (a
// CPython record listing every affected release, tens of KB); the cap is
// checked before reading, so a huge file costs nothing.
const MaxRecordSize = 1 << 20

// Result is what a migration did.
type Result struct {
	// Written are the sources written, in the order of the records.
	Written []string
	// Skipped says, one sentence each, which records were not imported
	// because their ID is already in the database (SkipExisting).
	Skipped []string
}

// Run is Migrate returning the sources written.
func Run(opts Options, cfg product.Config) ([]string, error) {
	res, err := Migrate(opts, cfg)
	if res == nil {
		return nil, err
	}
	return res.Written, err
}

// Migrate converts every record and writes the sources of the sound ones.
// Every record is read (regular files within MaxRecordSize only),
// converted, loaded back and linted with the rules `advisory lint`
// applies, and checked against the database and the other records (IDs and
// aliases unique) before anything is written. A record with a problem is
// not imported; the others are. The error (an errors.Join of one error per
// problem) names every record at fault and how to resolve it, beside a
// Result of what was written; a nil Result means nothing could be read.
func Migrate(opts Options, cfg product.Config) (*Result, error) {
	if opts.Check == nil {
		return nil, errors.New("osvimport: Options.Check is not set; pass the lint rules the sources must pass")
	}
	files, err := findRecords(opts)
	if err != nil {
		return nil, err
	}
	var srcs []source
	var errs []error
	byID := map[string]string{} // ID -> record file
	dupIDs := map[string]bool{}
	for _, f := range files {
		if cfg[f.product] == nil {
			errs = append(errs, fmt.Errorf("%s: product %q is not configured in advisories/products.yaml", f.path, f.product))
			continue
		}
		s, err := convertFile(f.path, cfg[f.product], opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if first, dup := byID[s.a.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: id %s is also the id of %s; keep one record per ID (neither is imported)", f.path, s.a.ID, first))
			dupIDs[s.a.ID] = true
			continue
		}
		byID[s.a.ID] = f.path
		s.from = f.path
		srcs = append(srcs, s)
	}
	srcs = slices.DeleteFunc(srcs, func(s source) bool { return dupIDs[s.a.ID] })
	existing, _ := advisory.LoadAll(opts.Root, cfg)
	res := &Result{}
	srcs, present := presentIDs(srcs, existing, opts, res)
	errs = append(errs, present...)
	srcs, conflicts := sharedAliases(srcs, existing, opts.Force)
	errs = append(errs, conflicts...)
	locks, err := lockUpdates(opts.Root, cfg, srcs)
	if err != nil {
		return res, errors.Join(append(errs, err)...)
	}
	res.Written, err = writeAll(srcs)
	if err != nil {
		return res, errors.Join(append(errs, err)...)
	}
	for _, l := range locks {
		if err := lock.Write(opts.Root, l); err != nil {
			return res, errors.Join(append(errs, err)...)
		}
	}
	return res, errors.Join(errs...)
}

// presentIDs sorts out the records whose ID the database already holds:
// overwritten with Force, skipped (and said so) with SkipExisting, a
// problem otherwise.
func presentIDs(srcs []source, existing []*advisory.Advisory, opts Options, res *Result) ([]source, []error) {
	have := map[string]string{} // ID -> source path
	for _, e := range existing {
		have[e.ID] = e.Path
	}
	var keep []source
	var errs []error
	for _, s := range srcs {
		p, ok := have[s.a.ID]
		if _, err := os.Lstat(s.path); !ok && err == nil {
			ok, p = true, s.path
		}
		switch {
		case !ok || opts.Force && p == s.path:
			keep = append(keep, s)
		case opts.SkipExisting:
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s: skipped, %s is already in the database (%s)", s.from, s.a.ID, p))
		case p != s.path:
			errs = append(errs, fmt.Errorf("%s: %s is already in the database as %s (another product); --force does not move it: remove one of them", s.from, s.a.ID, p))
		default:
			errs = append(errs, fmt.Errorf("%s: %s already exists; use --skip-existing to keep it (and import the rest), or --force to overwrite it", s.from, p))
		}
	}
	return keep, errs
}

// lockUpdates are the products' locks with the resolutions of the imported
// records this project built (read before anything is written).
func lockUpdates(root string, cfg product.Config, srcs []source) ([]*lock.Lock, error) {
	byProduct := map[string]*lock.Lock{}
	var out []*lock.Lock
	for _, s := range srcs {
		if s.entry == nil {
			continue
		}
		prod := s.a.Product
		l := byProduct[prod]
		if l == nil {
			var err error
			if l, err = lock.Read(root, prod); err != nil {
				return nil, err
			}
			if l.Product == "" {
				l.Product, l.Repo = prod, cfg[prod].Repo
			}
			if l.Advisories == nil {
				l.Advisories = map[string]*lock.Entry{}
			}
			byProduct[prod] = l
			out = append(out, l)
		}
		l.Advisories[s.a.ID] = s.entry
	}
	return out, nil
}

type recordFile struct{ path, product string }

func findRecords(opts Options) ([]recordFile, error) {
	if _, err := os.Stat(opts.From); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot read %s: %w", opts.From, err)
	}
	var files []recordFile
	top := filepath.Join(opts.From, "advisories")
	if fi, err := os.Stat(top); err == nil && fi.IsDir() {
		err := filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".json") {
				files = append(files, recordFile{p, filepath.Base(filepath.Dir(p))})
			}
			return nil
		})
		return files, err
	}
	var matches []string
	for _, pattern := range []string{"*.json", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join(opts.From, pattern))
		if err != nil {
			return nil, err
		}
		matches = append(matches, m...)
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("%s holds no OSV records (*.json or *.yaml, or advisories/<product>/*.json)", opts.From)
	}
	sort.Strings(matches)
	for _, m := range matches {
		files = append(files, recordFile{m, opts.Product})
	}
	return files, nil
}

func convertFile(path string, p *product.Product, opts Options) (source, error) {
	prod := p.Name
	data, err := readRecordFile(path)
	if err != nil {
		return source{}, err
	}
	v, err := decodeRecord(path, data)
	if err != nil {
		return source{}, fmt.Errorf("%s: %v", path, err)
	}
	if err := checkText(path, v); err != nil {
		return source{}, err
	}
	var a *advisory.Advisory
	var entry *lock.Entry
	if isOwn(v) {
		a, entry, err = ConvertOwn(v, p)
	} else {
		a, err = convertFor(v, p)
	}
	if err != nil {
		return source{}, fmt.Errorf("%s: %v", path, err)
	}
	a.Product = prod
	if !rule.IsSafeName(a.ID) {
		return source{}, fmt.Errorf("%s: id %q cannot be a file name", path, a.ID)
	}
	text, err := advisory.Marshal(a)
	if err != nil {
		return source{}, fmt.Errorf("%s: %v", path, err)
	}
	dst := filepath.Join(advisory.Dir(opts.Root, prod), a.ID+".yaml")
	loaded, ds := advisory.Parse(dst, prod, text)
	if !ds.HasErrors() {
		ds = append(ds, awaitingPSRT(loaded, opts.Check(loaded))...)
	}
	if err := ds.Err(); err != nil {
		return source{}, fmt.Errorf("%s: the converted source would not pass lint: %v", path, err)
	}
	return source{path: dst, data: text, a: a, entry: entry, upstream: v.ID}, nil
}

// awaitingPSRT drops the one finding an imported placeholder is written
// with on purpose: a record of another database states no PSRT severity,
// which the PSRT sets before the advisory is numbered (its notes say so).
// Every other lint error refuses the import.
func awaitingPSRT(a *advisory.Advisory, ds diag.List) diag.List {
	if !advisory.IsPlaceholder(a.ID) || a.Severity != "" {
		return ds
	}
	var out diag.List
	for _, d := range ds {
		if d.Rule != "severity" {
			out = append(out, d)
		}
	}
	return out
}

// readRecordFile reads a record file: a regular file (not a link, FIFO or
// device, which could block the import) within MaxRecordSize.
func readRecordFile(path string) ([]byte, error) {
	data, err := regularfile.Read(path, MaxRecordSize)
	switch {
	case errors.Is(err, regularfile.ErrSymlink), errors.Is(err, regularfile.ErrNotRegular):
		return nil, fmt.Errorf("%s: %v; records are read from regular files only", path, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

func writeAll(srcs []source) ([]string, error) {
	var written []string
	for _, s := range srcs {
		if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
			return written, err
		}
		if err := os.WriteFile(s.path, s.data, 0o644); err != nil {
			return written, err
		}
		written = append(written, s.path)
	}
	return written, nil
}
