package advisory

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/workpool"
)

// Dir is the directory of a product's sources under the database root.
func Dir(root, product string) string {
	return filepath.Join(root, "advisories", product)
}

// LoadAll reads every source of every configured product under
// root/advisories, sorted by ID. Files that are not regular .yaml files,
// and directories of unknown products, are diagnostics.
func LoadAll(root string, cfg product.Config) ([]*Advisory, diag.List) {
	var all []*Advisory
	out := checkTopLevel(root, cfg)
	for _, name := range cfg.Names() {
		as, ds := loadProduct(Dir(root, name), name)
		all = append(all, as...)
		out = append(out, ds...)
	}
	sortByID(all)
	out.Sort()
	return all, out
}

// LoadPaths reads the given files and directories (a directory is read as a
// product directory when it is one, else as a database root). Each file's
// product is the name of its parent directory, which must be configured.
func LoadPaths(paths []string, cfg product.Config) ([]*Advisory, diag.List) {
	var all []*Advisory
	var out diag.List
	for _, p := range paths {
		as, ds := loadPath(p, cfg)
		all = append(all, as...)
		out = append(out, ds...)
	}
	sortByID(all)
	out.Sort()
	return all, out
}

func loadPath(p string, cfg product.Config) ([]*Advisory, diag.List) {
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, fileDiag(p, fmt.Sprintf("cannot read: %v", unwrapPath(err)))
	}
	name := filepath.Base(filepath.Clean(p))
	if fi.IsDir() {
		if _, ok := cfg[name]; ok {
			return loadProduct(p, name)
		}
		return LoadAll(p, cfg)
	}
	prod := filepath.Base(filepath.Dir(filepath.Clean(p)))
	if _, ok := cfg[prod]; !ok {
		return nil, fileDiag(p, fmt.Sprintf("directory %q is not a configured product (%s); put the file under advisories/<product>/", prod, strings.Join(cfg.Names(), ", ")))
	}
	a, ds := LoadFile(p, prod)
	if a == nil {
		return nil, ds
	}
	return []*Advisory{a}, ds
}

func loadProduct(dir, name string) ([]*Advisory, diag.List) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fileDiag(dir, fmt.Sprintf("cannot read directory: %v", unwrapPath(err)))
	}
	var out diag.List
	var paths []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") || strings.HasPrefix(e.Name(), ".") {
			out = append(out, fileDiag(p, "unexpected entry in a product directory; only <ID>.yaml advisory files belong here")...)
			continue
		}
		paths = append(paths, p)
	}
	loaded := make([]*Advisory, len(paths))
	found := make([]diag.List, len(paths))
	workpool.Each(len(paths), workpool.IOWorkers, func(i int) error {
		loaded[i], found[i] = LoadFile(paths[i], name)
		return nil
	})
	var all []*Advisory
	for i := range paths {
		out = append(out, found[i]...)
		if loaded[i] != nil {
			all = append(all, loaded[i])
		}
	}
	return all, out
}

// checkTopLevel refuses product directories that the configuration does
// not know and advisory files placed directly under advisories/.
func checkTopLevel(root string, cfg product.Config) diag.List {
	dir := filepath.Join(root, "advisories")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fileDiag(dir, fmt.Sprintf("cannot read the database: %v", unwrapPath(err)))
	}
	var out diag.List
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			out = append(out, fileDiag(p, "symbolic link in the database; replace it with a directory or file")...)
		case e.IsDir() && cfg[e.Name()] == nil:
			out = append(out, fileDiag(p, fmt.Sprintf("directory %q is not a configured product; add it to advisories/products.yaml or move its files", e.Name()))...)
		case !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") && e.Name() != "products.yaml":
			out = append(out, fileDiag(p, "advisory outside a product directory; move it to advisories/<product>/")...)
		}
	}
	return out
}

func fileDiag(path, msg string) diag.List {
	return diag.List{{File: path, Line: 1, Col: 1, Severity: diag.Error, Rule: "file", Message: msg}}
}

func sortByID(as []*Advisory) {
	sort.Slice(as, func(i, j int) bool {
		if as[i].ID != as[j].ID {
			return as[i].ID < as[j].ID
		}
		return as[i].Path < as[j].Path
	})
}
