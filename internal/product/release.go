package product

import (
	"fmt"
	"regexp"
	"sync"

	"github.com/psf/advisory-builder/internal/version"
)

// The release order of a product lives here, so that every consumer that
// compares two releases of a product (lint, check, the cross-check, the
// exports) asks the product rather than picking an order itself.

// Scheme is the version order of the product's releases: PEP 440 for a
// PyPI package, CPython's release tags otherwise (and for a nil product).
func (p *Product) Scheme() version.Scheme {
	if p == nil {
		return version.SchemeTags
	}
	return version.SchemeFor(p.Ecosystem())
}

// CheckRelease reports whether s is a release of the product as tagged or
// as authored ("v3.12.6", "3.12.6", "3.13.0rc1"; pip "23.3", "0.2").
func (p *Product) CheckRelease(s string) error {
	_, err := p.Scheme().Canonical(s)
	return err
}

// CompareReleases orders two releases of the product: negative when a comes
// first, zero when they are the same release however spelled (v3.12.6 =
// 3.12.6, 2.7 = 2.7.0, 2.5c1 = 2.5rc1).
func (p *Product) CompareReleases(a, b string) (int, error) {
	return p.Scheme().Compare(a, b)
}

// pep440Series reads the X.Y of a canonical PEP 440 version (epoch skipped;
// "1" is 1.0).
var pep440Series = regexp.MustCompile(`^(?:[0-9]+!)?([0-9]+)(?:\.([0-9]+))?`)

// ReleaseBranch is the branch a release belongs to: its X.Y series for a
// product without a package (CPython cuts every X.Y from its own branch);
// for a package product, X.Y when the configuration lists that branch, else
// main (pip releases from main; so does a product with no branches listed).
func (p *Product) ReleaseBranch(s string) (string, error) {
	canon, err := p.Scheme().Canonical(s)
	if err != nil {
		return "", err
	}
	return p.branchOf(s, canon)
}

// branchOf is ReleaseBranch of release s, spelled canon canonically.
func (p *Product) branchOf(s, canon string) (string, error) {
	m := pep440Series.FindStringSubmatch(canon)
	if m == nil {
		return "", fmt.Errorf("release %s has no X.Y series", s)
	}
	if m[2] == "" {
		m[2] = "0"
	}
	b := m[1] + "." + m[2]
	if p == nil || p.Package == nil {
		return b, nil
	}
	if _, ok := p.Branches[b]; ok {
		return b, nil
	}
	if _, ok := p.Branches["main"]; ok || len(p.Branches) == 0 {
		return "main", nil
	}
	return "", fmt.Errorf("release %s belongs to no configured branch of %s (neither %s nor main is in advisories/products.yaml)", s, p.Name, b)
}

// Order is the product's release order with each release parsed once
// (version.Parsed) and each release's branch found once: for judging an
// advisory for many releases (the site's verdicts). It answers exactly as
// the product does. Safe for concurrent use; it keeps every release it
// met, so it lives as long as the work that made it.
type Order struct {
	*Product
	parsed   *version.Parsed
	branches sync.Map // release -> branchAnswer
}

type branchAnswer struct {
	branch string
	err    error
}

// Order returns a fresh Order of the product.
func (p *Product) Order() *Order {
	return &Order{Product: p, parsed: p.Scheme().Parsed()}
}

// Parsed is the order's cache of parsed versions.
func (o *Order) Parsed() *version.Parsed { return o.parsed }

// CompareReleases is Product.CompareReleases.
func (o *Order) CompareReleases(a, b string) (int, error) { return o.parsed.Compare(a, b) }

// ReleaseBranch is Product.ReleaseBranch.
func (o *Order) ReleaseBranch(s string) (string, error) {
	if got, ok := o.branches.Load(s); ok {
		a := got.(branchAnswer)
		return a.branch, a.err
	}
	var a branchAnswer
	canon, err := o.parsed.Canonical(s)
	if err != nil {
		a.err = err
	} else {
		a.branch, a.err = o.Product.branchOf(s, canon)
	}
	o.branches.Store(s, a)
	return a.branch, a.err
}
