package osvimport

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
}

// MaxRecordSize caps one record file. Published records are a few KB (a
// CPython record listing every affected release, tens of KB); the cap is
// checked before reading, so a huge file costs nothing.
const MaxRecordSize = 1 << 20

// Run converts every record and writes the sources. Every record is read
// (regular files within MaxRecordSize only), converted, loaded back and
// linted with the rules `advisory lint` applies, and IDs are checked unique,
// before anything is written; on any error nothing is, and the error (an
// errors.Join of one error per problem) names every file at fault.
func Run(opts Options, cfg product.Config) ([]string, error) {
	files, err := findRecords(opts)
	if err != nil {
		return nil, err
	}
	var out []source
	var errs []error
	byID := map[string]string{} // ID -> record file
	if opts.Check == nil {
		return nil, errors.New("osvimport: Options.Check is not set; pass the lint rules the sources must pass")
	}
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
			errs = append(errs, fmt.Errorf("%s: id %s is also the id of %s; keep one record per ID", f.path, s.a.ID, first))
			continue
		}
		byID[s.a.ID] = f.path
		out = append(out, s)
	}
	for _, e := range taken(opts.Root, cfg, out) {
		errs = append(errs, errors.New(e))
	}
	locks, err := lockUpdates(opts.Root, cfg, out)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	written, err := writeAll(out, opts.Force)
	if err != nil {
		return written, err
	}
	for _, l := range locks {
		if err := lock.Write(opts.Root, l); err != nil {
			return written, err
		}
	}
	return written, nil
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
	return source{dst, text, a, entry}, nil
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

func writeAll(srcs []source, force bool) ([]string, error) {
	if !force {
		for _, s := range srcs {
			if _, err := os.Lstat(s.path); err == nil {
				return nil, fmt.Errorf("%s already exists; use --force to overwrite", s.path)
			}
		}
	}
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
