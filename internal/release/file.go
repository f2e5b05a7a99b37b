package release

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/atomicfile"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/product"
)

// Read loads the release list of a product under root. A missing list is
// not an error: it returns nil (the product's releases are not known).
// The file is as untrusted as any source: a regular file within the
// sources' size cap, every line checked; problems name file:line:col.
func Read(root string, p *product.Product) (*List, error) {
	path := Path(root, p.Name)
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	data, ds := advisory.ReadFile(path)
	if ds != nil {
		return nil, ds.Err()
	}
	l, ds := Parse(path, data, p)
	if ds.HasErrors() {
		return nil, ds.Err()
	}
	return l, nil
}

// ReadAll loads the release list of every product that has one.
func ReadAll(root string, cfg product.Config) (map[string]*List, error) {
	out := map[string]*List{}
	var errs []error
	for _, n := range cfg.Names() {
		l, err := Read(root, cfg[n])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if l != nil {
			out[n] = l
		}
	}
	return out, errors.Join(errs...)
}

// Parse reads a release list: blank lines and lines starting with "#" are
// skipped; every other line is a release tag of the product (matching its
// tag pattern), optionally followed by one space and the 40-hex commit it
// tags. Releases are listed once each, in release order.
func Parse(file string, data []byte, p *product.Product) (*List, diag.List) {
	var ds diag.List
	fail := func(line, col int, format string, args ...any) {
		ds = append(ds, diag.Diagnostic{File: file, Line: line, Col: col, Severity: diag.Error, Rule: "releases", Message: fmt.Sprintf(format, args...)})
	}
	if line, col, bad := rule.SourceProblem(data); bad != "" {
		fail(line, col, "%s; the release list holds release tags only", bad)
		return nil, ds
	}
	l := &List{Product: p}
	re := p.TagRegexp()
	var lines []int // the line of each tag
	for n, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		ln := n + 1
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, commit, hasCommit := strings.Cut(line, " ")
		switch {
		case re == nil || !re.MatchString(name):
			fail(ln, 1, "%q is not a release tag of %s (tag_pattern in products.yaml); write one tag per line", name, p.Name)
			continue
		case hasCommit && !rule.IsCommit(commit):
			fail(ln, len(name)+2, "%q is not a full 40-hex lower-case commit; write \"<tag> <commit>\" or the tag alone", commit)
			continue
		}
		if err := p.CheckRelease(name); err != nil {
			fail(ln, 1, "%s: %v", name, err)
			continue
		}
		if k := len(l.Tags); k > 0 {
			prev := l.Tags[k-1]
			switch cmp, _ := p.CompareReleases(prev.Name, name); {
			case cmp == 0:
				fail(ln, 1, "release %s is listed twice (first on line %d, as %s); keep one line per release", name, lines[k-1], prev.Name)
				continue
			case cmp > 0:
				fail(ln, 1, "release %s comes before %s, listed above it; keep the list in release order", name, prev.Name)
				continue
			}
		}
		l.Tags = append(l.Tags, Tag{Name: name, Commit: commit})
		lines = append(lines, ln)
	}
	if ds.HasErrors() {
		return nil, ds
	}
	return l, nil
}

// Write replaces the release list of a product under root.
func Write(root string, l *List) error {
	return atomicfile.Write(Path(root, l.Product.Name), l.Format())
}

// Diagnose reads the release list of every product and returns its
// problems as diagnostics (for `advisory lint`).
func Diagnose(root string, cfg product.Config) diag.List {
	var out diag.List
	for _, n := range cfg.Names() {
		path := Path(root, cfg[n].Name)
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		data, ds := advisory.ReadFile(path)
		if ds == nil {
			_, ds = Parse(path, data, cfg[n])
		}
		out = append(out, ds...)
	}
	return out
}
