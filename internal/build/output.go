package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/site"
)

const sumsFile = "SHA256SUMS"

// errNoExchange: the system or file system cannot swap two directories.
var errNoExchange = errors.New("this system cannot swap two directories atomically, so the previous output would go missing for a moment; delete it yourself or choose a new --out")

// writeTree writes the whole output into a fresh temporary directory beside
// opts.Out, then swaps it into place: the output is either the complete new
// tree or the previous one, never half-written and never missing. It
// replaces only a directory an earlier build marked as its output.
func writeTree(opts Options, recs []*osv.Record) error {
	out := filepath.Clean(opts.Out)
	if err := checkOut(opts.Root, out); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	cleanLeftovers(out, opts.Log)
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+leftoverInfix)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	unlock, err := lockDir(tmp)
	if err != nil {
		return err
	}
	defer unlock()
	// The marker goes in first: a later build removes a leftover tree only
	// when it carries it, so a look-alike directory is never taken.
	if err := os.WriteFile(filepath.Join(tmp, markerFile), []byte(markerText), 0o644); err != nil {
		return err
	}
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
	hashes := bundle.NewHashes() // the sums of what is written whole, so SHA256SUMS need not read it back
	if err := bundle.WriteHashed(root, recs, hashes); err != nil {
		return fmt.Errorf("writing the bundle: %w", err)
	}
	cfg := product.Config{}
	for _, r := range recs {
		cfg[r.Product.Name] = r.Product
	}
	if err := site.WriteOptions(root, recs, cfg, site.Options{BaseURL: opts.SiteBase, Hashes: hashes}); err != nil {
		return fmt.Errorf("writing the site: %w", err)
	}
	if err := bundle.WriteSumsKnown(root, hashes); err != nil {
		return fmt.Errorf("writing %s: %w", sumsFile, err)
	}
	return nil
}
