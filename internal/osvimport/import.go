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
	"github.com/psf/advisory-builder/internal/product"
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
}

// source is one converted record waiting to be written.
type source struct {
	path string
	data []byte
	a    *advisory.Advisory
}

// Run converts every record and writes the sources. Every record is
// converted and checked before anything is written; on any error nothing is.
func Run(opts Options, cfg product.Config) ([]string, error) {
	files, err := findRecords(opts)
	if err != nil {
		return nil, err
	}
	var out []source
	var errs []string
	for _, f := range files {
		if cfg[f.product] == nil {
			errs = append(errs, fmt.Sprintf("%s: product %q is not configured in advisories/products.yaml", f.path, f.product))
			continue
		}
		s, err := convertFile(f.path, cfg[f.product], opts)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, s)
	}
	errs = append(errs, taken(opts.Root, cfg, out)...)
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return writeAll(out, opts.Force)
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
	data, err := os.ReadFile(path)
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
	a, err := convertFor(v, p)
	if err != nil {
		return source{}, fmt.Errorf("%s: %v", path, err)
	}
	if !rule.IsSafeName(a.ID) {
		return source{}, fmt.Errorf("%s: id %q cannot be a file name", path, a.ID)
	}
	text, err := advisory.Marshal(a)
	if err != nil {
		return source{}, fmt.Errorf("%s: %v", path, err)
	}
	dst := filepath.Join(advisory.Dir(opts.Root, prod), a.ID+".yaml")
	if _, ds := advisory.Parse(dst, prod, text); ds.HasErrors() {
		return source{}, fmt.Errorf("%s: the converted source does not load: %v", path, ds.Err())
	}
	return source{dst, text, a}, nil
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
