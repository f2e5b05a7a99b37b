package product

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/diag"
)

// ConfigPath is where the products configuration lives under the database root.
func ConfigPath(root string) string {
	return filepath.Join(root, "advisories", advisory.ProductsFile)
}

// MaxTagPattern bounds the release-tag pattern. Go's regular expressions
// match in linear time; the bound keeps compiling and matching it cheap.
const MaxTagPattern = 256

// Config is the set of products, by name.
type Config map[string]*Product

// Load reads and checks the products configuration of the database at root.
// It is as untrusted as any advisory: a regular file (not a link), read and
// decoded under the advisory sources' rules, every value checked; errors
// name file:line:col.
func Load(root string) (Config, error) {
	p := ConfigPath(root)
	if _, err := os.Lstat(p); err != nil {
		return nil, fmt.Errorf("reading products configuration: %w", err) // an I/O error, not a finding
	}
	data, ds := advisory.ReadFile(p)
	if ds != nil {
		ds[0].Message = "products configuration: " + ds[0].Message
		return nil, ds.Err()
	}
	return Parse(p, data)
}

// Parse decodes a products configuration; name is used in errors.
func Parse(name string, data []byte) (Config, error) {
	var cfg Config
	pos, ds := advisory.Decode(name, data, &cfg)
	if !ds.HasErrors() {
		for _, n := range cfg.Names() {
			cfg[n].Name = n
			ds = append(ds, cfg[n].check(name, pos)...)
		}
	}
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds.Err()
	}
	return cfg, nil
}

// check applies the value rules to one product; pos holds the positions of
// the decoded configuration.
func (p *Product) check(file string, pos advisory.Positions) diag.List {
	var out diag.List
	add := func(path, format string, args ...any) {
		at := pos.Of(path)
		out = append(out, diag.Diagnostic{File: file, Line: at.Line, Col: at.Col, Severity: diag.Error, Rule: "products", Message: fmt.Sprintf(format, args...)})
	}
	key := func(k string) string { return p.Name + "." + k }
	if !rule.IsSlug(p.Name) {
		add(p.Name, "product name %q must be lower-case letters, digits and single dashes: it names the directory advisories/%s/", p.Name, p.Name)
	}
	switch msg, _ := rule.URLProblem(p.Repo, false); {
	case p.Repo == "":
		add(p.Name, "product %s: repo is required (the https URL of its git repository)", p.Name)
	case msg != "":
		add(key("repo"), "repo %s: %s; write the https URL of the product's git repository", p.Repo, msg)
	}
	switch {
	case p.TagPattern == "":
		add(p.Name, "product %s: tag_pattern is required (the regular expression release tags match)", p.Name)
	case len(p.TagPattern) > MaxTagPattern:
		add(key("tag_pattern"), "tag_pattern is %d bytes, over the limit of %d", len(p.TagPattern), MaxTagPattern)
	default:
		if _, err := regexp.Compile(p.TagPattern); err != nil {
			add(key("tag_pattern"), "tag_pattern %q is not a valid regular expression: %v", p.TagPattern, err)
		}
	}
	if p.Package != nil {
		p.Package.check(key("package"), add)
	}
	branches := make([]string, 0, len(p.Branches))
	for b := range p.Branches {
		branches = append(branches, b)
	}
	sort.Strings(branches)
	for _, b := range branches {
		if !rule.IsBranch(b) {
			add(key("branches."+b), "branch %q must be main or X.Y (a maintenance branch)", b)
		}
		switch s := p.Branches[b]; s {
		case StatusFeature, StatusPrerelease, StatusBugfix, StatusSecurity, StatusEndOfLife:
		default:
			add(key("branches."+b), "branch %q: unknown status %q (use feature, prerelease, bugfix, security or end-of-life)", b, s)
		}
	}
	return out
}

// check applies the value rules to an OSV package: the ecosystem names a
// directory of the bundle, so it is a safe name (and not GIT, the ecosystem
// of products without a package).
func (k *Package) check(path string, add func(path, format string, args ...any)) {
	switch {
	case !rule.IsSafeName(k.Ecosystem) || k.Ecosystem == "GIT":
		add(path+".ecosystem", "package ecosystem %q must be an OSV ecosystem name such as PyPI", k.Ecosystem)
	case !rule.IsSafeName(k.Name):
		add(path+".name", "package name %q must be letters, digits, dots, dashes and underscores", k.Name)
	case !strings.HasPrefix(k.PURL, "pkg:") || strings.ContainsAny(k.PURL, " \t\r\n"):
		add(path+".purl", "package purl %q must be a package URL (pkg:type/name)", k.PURL)
	default:
		k.checkAgreement(path, add)
	}
}

// purlTypes maps the OSV ecosystems this project publishes to their
// package-URL type and name normalisation (PyPI: PEP 503, lower case with
// runs of "-", "_" and "." as one "-").
var purlTypes = map[string]struct {
	typ       string
	normalize func(string) string
}{
	"PyPI": {"pypi", func(n string) string {
		return strings.ToLower(strings.Join(strings.FieldsFunc(n, func(r rune) bool { return r == '-' || r == '_' || r == '.' }), "-"))
	}},
}

// checkAgreement holds the ecosystem, name and purl to one another: the
// records carry all three, and a scanner matching by purl must find the
// package a scanner matching by ecosystem and name finds.
func (k *Package) checkAgreement(path string, add func(path, format string, args ...any)) {
	pt, ok := purlTypes[k.Ecosystem]
	if !ok {
		known := make([]string, 0, len(purlTypes))
		for e := range purlTypes {
			known = append(known, e)
		}
		sort.Strings(known)
		add(path+".ecosystem", "package ecosystem %q is not one this project publishes (%s): its purl could not be checked against the name", k.Ecosystem, strings.Join(known, ", "))
		return
	}
	if want := "pkg:" + pt.typ + "/" + pt.normalize(k.Name); k.PURL != want {
		add(path+".purl", "package purl %q does not name the package %s %q: write %s", k.PURL, k.Ecosystem, k.Name, want)
	}
}

// RecordFields is the part of the product that reaches its records' bytes
// (the GIT range's repo, the package's ecosystem, name and purl), in one
// canonical string: when it changes, every record of the product changes,
// and the build moves their `modified`.
func (p *Product) RecordFields() string {
	fields := []string{p.Repo}
	if p.Package != nil {
		fields = append(fields, p.Package.Ecosystem, p.Package.Name, p.Package.PURL)
	}
	return strings.Join(fields, "\x00")
}

// TagRegexp is the compiled release-tag pattern.
func (p *Product) TagRegexp() *regexp.Regexp {
	return regexp.MustCompile(p.TagPattern)
}

// Has reports whether name is a configured product.
func (c Config) Has(name string) bool { return c[name] != nil }

// Names returns the product names, sorted.
func (c Config) Names() []string {
	var names []string
	for n := range c {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
