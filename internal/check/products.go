package check

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// ProductsOf completes a products configuration (nil when none could be
// read) with the products of a built output directory it lacks, each known
// by its records alone: the directory name, and the OSV package when its
// records carry one (so a PyPI package is still judged by PEP 440).
func ProductsOf(dir string, cfg product.Config) product.Config {
	out := product.Config{}
	for n, p := range cfg {
		out[n] = p
	}
	derived := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(dir, "advisories", "*", "*.json"))
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f))
		if out[name] == nil {
			out[name], derived[name] = &product.Product{Name: name, Title: name}, true
		}
		if p := out[name]; derived[name] && p.Package == nil {
			p.Package = packageOf(f) // any record that names the package
		}
	}
	return out
}

func packageOf(path string) *product.Package {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var v osv.Vulnerability
	if json.Unmarshal(data, &v) != nil {
		return nil
	}
	for _, af := range v.Affected {
		if af.Package != nil {
			return &product.Package{Ecosystem: af.Package.Ecosystem, Name: af.Package.Name, PURL: af.Package.PURL}
		}
	}
	return nil
}
