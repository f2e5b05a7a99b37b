package advisory

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/workpool"
)

// ProductsFile is the products configuration under advisories/.
const ProductsFile = "products.yaml"

// Products is what loading needs of the products configuration
// (product.Config): the names of the configured products.
type Products interface {
	Names() []string
	Has(name string) bool
}

// CounterFile is the ID counter of assign-ids under advisories/.
const CounterFile = "ids.txt"

// LockFile is the name of a product's resolution lock under advisories/.
func LockFile(product string) string { return product + ".lock.json" }

// ReleasesFile is the name of a product's known-release list under advisories/.
func ReleasesFile(product string) string { return product + ".releases" }

// Dir is the directory of a product's sources under the database root.
func Dir(root, product string) string {
	return filepath.Join(root, "advisories", product)
}

// LoadAll reads every source of every configured product under
// root/advisories, sorted by ID. Files that are not regular .yaml files,
// and directories of unknown products, are diagnostics.
func LoadAll(root string, cfg Products) ([]*Advisory, diag.List) {
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

// Source is one advisory source file of the database, not yet read.
type Source struct {
	Path, Product string
	// listed is the file's type in its directory listing (loadListed).
	listed fs.FileMode
}

// ID is the ID the source must hold (IDFromPath).
func (s Source) ID() string { return IDFromPath(s.Path) }

// Load reads the source (LoadFile).
func (s Source) Load() (*Advisory, diag.List) {
	a, _, ds := s.LoadData()
	return a, ds
}

// LoadData is Load that also returns the bytes it read (nil when the file
// could not be read), for a caller that needs the content itself (the
// build dates a source by the git blob of exactly these bytes) without
// reading the file a second time.
func (s Source) LoadData() (*Advisory, []byte, diag.List) {
	return loadListed(s.Path, s.Product, s.listed)
}

// Sources lists every source of every configured product under
// root/advisories without reading them, sorted by the ID each must hold
// (its file name), then by path: the order LoadAll returns the advisories
// in when they load. The diagnostics are LoadAll's about the database's
// layout (unknown directories, stray files).
func Sources(root string, cfg Products) ([]Source, diag.List) {
	var all []Source
	out := checkTopLevel(root, cfg)
	for _, name := range cfg.Names() {
		paths, types, ds := listProduct(Dir(root, name))
		for i, p := range paths {
			all = append(all, Source{Path: p, Product: name, listed: types[i]})
		}
		out = append(out, ds...)
	}
	sort.Slice(all, func(i, j int) bool {
		if a, b := all[i].ID(), all[j].ID(); a != b {
			return a < b
		}
		return all[i].Path < all[j].Path
	})
	out.Sort()
	return all, out
}

// LoadPaths reads the given files and directories (a directory is read as a
// product directory when it is one, as the whole database when it is the
// advisories/ directory, else as a database root). Each file's
// product is the name of its parent directory, which must be configured.
func LoadPaths(paths []string, cfg Products) ([]*Advisory, diag.List) {
	var all []*Advisory
	var out diag.List
	seen := map[string]bool{}
	seenDiag := map[diag.Diagnostic]bool{}
	for _, p := range paths {
		as, ds := loadPath(p, cfg)
		for _, a := range as { // paths may overlap (a file and its directory)
			if !seen[filepath.Clean(a.Path)] {
				seen[filepath.Clean(a.Path)] = true
				all = append(all, a)
			}
		}
		for _, d := range ds {
			if !seenDiag[d] {
				seenDiag[d] = true
				out = append(out, d)
			}
		}
	}
	sortByID(all)
	out.Sort()
	return all, out
}

func loadPath(p string, cfg Products) ([]*Advisory, diag.List) {
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, fileDiag(p, fmt.Sprintf("cannot read: %v", unwrapPath(err)))
	}
	name := filepath.Base(filepath.Clean(p))
	if fi.IsDir() {
		if cfg.Has(name) {
			return loadProduct(p, name)
		}
		if isDatabaseDir(p) {
			return LoadAll(filepath.Dir(filepath.Clean(p)), cfg)
		}
		return LoadAll(p, cfg)
	}
	prod := filepath.Base(filepath.Dir(filepath.Clean(p)))
	if !cfg.Has(prod) {
		return nil, fileDiag(p, fmt.Sprintf("directory %q is not a configured product (%s); put the file under advisories/<product>/", prod, strings.Join(cfg.Names(), ", ")))
	}
	a, ds := LoadFile(p, prod)
	if a == nil {
		return nil, ds
	}
	return []*Advisory{a}, ds
}

// isDatabaseDir reports whether dir is the advisories/ directory of a
// database (named so, holding no advisories/ of its own) rather than a
// database root.
func isDatabaseDir(dir string) bool {
	if filepath.Base(filepath.Clean(dir)) != "advisories" {
		return false
	}
	fi, err := os.Lstat(filepath.Join(dir, "advisories"))
	return err != nil || !fi.IsDir()
}

func loadProduct(dir, name string) ([]*Advisory, diag.List) {
	paths, types, out := listProduct(dir)
	loaded := make([]*Advisory, len(paths))
	found := make([]diag.List, len(paths))
	workpool.Each(len(paths), workpool.IOWorkers, func(i int) error {
		loaded[i], _, found[i] = loadListed(paths[i], name, types[i])
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

// listProduct lists the source files of a product directory, in directory
// order, with their types in the listing; every other entry is a
// diagnostic.
func listProduct(dir string) ([]string, []fs.FileMode, diag.List) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fileDiag(dir, fmt.Sprintf("cannot read directory: %v", unwrapPath(err)))
	}
	var out diag.List
	var paths []string
	var types []fs.FileMode
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") || strings.HasPrefix(e.Name(), ".") {
			out = append(out, fileDiag(p, "unexpected entry in a product directory; only <ID>.yaml advisory files belong here")...)
			continue
		}
		paths = append(paths, p)
		types = append(types, e.Type())
	}
	return paths, types, out
}

// checkTopLevel refuses product directories that the configuration does
// not know, advisory files placed directly under advisories/, and every
// other entry that is not part of the database (products.yaml, the ID
// counter, the products' locks): nothing under advisories/ goes unnoticed.
func checkTopLevel(root string, cfg Products) diag.List {
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
		case e.IsDir() && !cfg.Has(e.Name()):
			out = append(out, fileDiag(p, fmt.Sprintf("directory %q is not a configured product; add it to advisories/products.yaml or move its files", e.Name()))...)
		case e.IsDir() || knownTopLevel(e.Name(), cfg):
		case strings.HasSuffix(e.Name(), ".yaml"):
			out = append(out, fileDiag(p, "advisory outside a product directory; move it to advisories/<product>/")...)
		default:
			out = append(out, fileDiag(p, fmt.Sprintf("file %q is not part of the database (advisories/ holds products.yaml, %s, <product>%s and the product directories); remove it or move it out of advisories/", e.Name(), CounterFile, LockFile("")))...)
		}
	}
	return out
}

// knownTopLevel reports whether a file directly under advisories/ belongs
// to the database.
func knownTopLevel(name string, cfg Products) bool {
	if name == ProductsFile || name == CounterFile {
		return true
	}
	if prod, ok := strings.CutSuffix(name, LockFile("")); ok {
		return cfg.Has(prod)
	}
	prod, ok := strings.CutSuffix(name, ReleasesFile(""))
	return ok && cfg.Has(prod)
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
