// Package check answers "is this interpreter (or package) affected?": it
// reads a version as typed or as printed by `python -VV` / `pip --version`,
// and judges every advisory of the product from its version data (computed
// or authored), naming the advisories it cannot judge instead of calling
// them harmless.
package check

import (
	"fmt"
	"strings"

	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/version"
)

// Query is a release of a product.
type Query struct {
	Product string
	// Version is the release in the product's canonical spelling (3.12.4,
	// 3.13.0rc1, pip 23.3).
	Version string
	// Platform, when set, leaves out the advisories limited to other
	// platforms (advisory.AffectsPlatform).
	Platform string
}

// ParseInput reads "3.12.4", "v3.12.4", the first line of `python -VV`
// ("Python 3.12.4 (main, Jun  6 2024, 18:26:44) [GCC 12.2.0]") or of
// `pip --version` ("pip 23.3 from /usr/lib/python3/dist-packages/pip
// (python 3.11)"). prod is the product asked for ("" lets the input decide;
// a bare version is taken for the interpreter, the one product of cfg that
// is no package); it must be one of cfg's products, and the version is read
// in that product's order (PEP 440 for a PyPI package).
func ParseInput(in, prod string, cfg product.Config) (Query, error) {
	line, _, _ := strings.Cut(strings.TrimSpace(in), "\n")
	line = strings.TrimSpace(line)
	detected, raw := detect(line, cfg)
	switch {
	case prod == "":
		prod = detected
		if prod == "" {
			var err error
			if prod, err = interpreter(cfg); err != nil {
				return Query{}, err
			}
		}
	case detected != "" && detected != prod:
		return Query{}, fmt.Errorf("%q is a %s version, but --product is %s", line, detected, prod)
	}
	p := cfg[prod]
	if p == nil {
		return Query{}, fmt.Errorf("unknown product %q: advisories/products.yaml lists %s", prod, strings.Join(cfg.Names(), ", "))
	}
	if impl := otherImplementation(in); impl != "" && p.Package == nil {
		return Query{}, &OtherImplementationError{Implementation: impl, Product: p.Title}
	}
	if p.Scheme() == version.SchemeTags && strings.HasSuffix(raw, "+") {
		return Query{}, fmt.Errorf("%q is a development build (the trailing + means built after the release %s); check that release, or a release of your choosing, instead", raw, strings.TrimSuffix(raw, "+"))
	}
	v, err := p.Scheme().Canonical(raw)
	if err != nil {
		return Query{}, fmt.Errorf("unknown version format %q for %s: give a release like %s, or the output of `python -VV` / `pip --version`", line, p.Title, example(p))
	}
	return Query{Product: prod, Version: v}, nil
}

// interpreter is the product a bare version is taken for: the one product
// of cfg that is not a package (CPython).
func interpreter(cfg product.Config) (string, error) {
	var found []string
	for _, n := range cfg.Names() {
		if cfg[n].Package == nil {
			found = append(found, n)
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("which product is a bare version of? give --product (one of %s)", strings.Join(cfg.Names(), ", "))
	}
	return found[0], nil
}

// detect reads a version line as `python -VV` and `pip --version` print
// it, "<product> <version> ...": the first word names a product of cfg (its
// name or title, in any case). Anything else is a bare version.
func detect(line string, cfg product.Config) (prod, raw string) {
	f := strings.Fields(line)
	if len(f) < 2 {
		return "", line
	}
	for _, n := range cfg.Names() {
		if strings.EqualFold(f[0], n) || strings.EqualFold(f[0], cfg[n].Title) {
			return n, f[1]
		}
	}
	return "", line
}

func example(p *product.Product) string {
	if p.Scheme() == version.SchemePEP440 {
		return "23.3, 23.3.1, 10.0.0b1"
	}
	return "3.12.4, v3.12.4, 3.13.0rc1"
}

// otherImplementations are the Python implementations other than CPython
// whose `python -VV` output names them ("[PyPy 7.3.17 with GCC ...]",
// "GraalPy 3.11.7 (Oracle GraalVM ...)", "[Graal, Oracle GraalVM, Java
// 21]", "[Pyston 2.3.5, GCC 9.4.0]"). The version such a line opens with is
// the Python language version the implementation follows, not a CPython
// release, so CPython's advisories cannot judge it.
var otherImplementations = []string{"PyPy", "GraalPy", "Graal", "GraalVM", "Pyston", "IronPython", "Jython", "MicroPython", "CircuitPython", "RustPython", "Stackless", "Cinder"}

// otherImplementation is the implementation other than CPython that a
// version text (every line of it) names as a word, or "".
func otherImplementation(in string) string {
	words := strings.FieldsFunc(in, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	})
	for _, w := range words {
		for _, impl := range otherImplementations {
			if strings.EqualFold(w, impl) {
				return impl
			}
		}
	}
	return ""
}

// OtherImplementationError refuses the version line of a Python
// implementation other than CPython: whether it is affected cannot be told
// from CPython's advisories.
type OtherImplementationError struct {
	Implementation, Product string
}

func (e *OtherImplementationError) Error() string {
	return fmt.Sprintf("cannot tell: this is %s, not %s: its version is the Python language version it implements, not a %s release, and %s advisories cannot judge another implementation; check %s's own advisories",
		e.Implementation, e.Product, e.Product, e.Product, e.Implementation)
}
