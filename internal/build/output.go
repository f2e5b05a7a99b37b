package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/site"
)

// sumsFile marks a directory as this tool's output, safe to replace.
const sumsFile = "SHA256SUMS"

// writeTree writes the whole output into a fresh temporary directory beside
// opts.Out, then swaps it into place: the output is either the complete new
// tree or the previous one, never half-written.
func writeTree(opts Options, recs []*osv.Record) error {
	out := filepath.Clean(opts.Out)
	if err := checkReplaceable(out); err != nil {
		return err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := fill(tmp, opts, recs); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	return swap(tmp, out)
}

func fill(dir string, opts Options, recs []*osv.Record) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	if err := bundle.Write(root, recs); err != nil {
		return fmt.Errorf("writing the bundle: %w", err)
	}
	cfg := product.Config{}
	for _, r := range recs {
		cfg[r.Product.Name] = r.Product
	}
	if err := site.WriteOptions(root, recs, cfg, site.Options{BaseURL: opts.SiteBase}); err != nil {
		return fmt.Errorf("writing the site: %w", err)
	}
	if err := bundle.WriteSums(root); err != nil {
		return fmt.Errorf("writing %s: %w", sumsFile, err)
	}
	return nil
}

// checkReplaceable refuses to replace a directory that is not empty and
// not a previous output (no SHA256SUMS): a mistyped --out must not erase a
// home directory.
func checkReplaceable(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output directory %s: %w", out, err)
	}
	if _, err := os.Stat(filepath.Join(out, sumsFile)); err != nil {
		return fmt.Errorf("output directory %s is not empty and holds no %s, so it is not a previous build; choose another --out or empty it", out, sumsFile)
	}
	return nil
}

// swap moves the new tree into place, keeping the old one until the new one
// is there.
func swap(tmp, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
