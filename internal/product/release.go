package product

import (
	"fmt"

	"github.com/psf/advisory-builder/internal/version"
)

// The release order of a product lives here, so that every consumer that
// compares two releases of a product (lint, check, the cross-check, the
// exports) asks the product rather than picking an order itself.

// ParseRelease reads a release of the product as tagged or as authored
// ("v3.12.6", "3.12.6", "3.13.0rc1"; pip "23.3", "20.1b1"). A nil product
// reads CPython-style releases.
func (p *Product) ParseRelease(s string) (version.Version, error) {
	return version.Parse(s)
}

// CompareReleases orders two releases of the product by number: negative
// when a comes first, zero when they are the same release however spelled
// (v3.12.6 = 3.12.6, 2.7 = 2.7.0, 2.5c1 = 2.5rc1).
func (p *Product) CompareReleases(a, b string) (int, error) {
	va, err := p.ParseRelease(a)
	if err != nil {
		return 0, err
	}
	vb, err := p.ParseRelease(b)
	if err != nil {
		return 0, err
	}
	va.Raw, vb.Raw = "", ""
	return va.Compare(vb), nil
}

// ReleaseBranch is the branch a release belongs to: its X.Y series for a
// product without a package (CPython cuts every X.Y from its own branch);
// for a package product, X.Y when the configuration lists that branch, else
// main (pip releases from main).
func (p *Product) ReleaseBranch(s string) (string, error) {
	v, err := p.ParseRelease(s)
	if err != nil {
		return "", err
	}
	b := v.Branch()
	if p == nil || p.Package == nil {
		return b, nil
	}
	if _, ok := p.Branches[b]; ok {
		return b, nil
	}
	if _, ok := p.Branches["main"]; ok {
		return "main", nil
	}
	return "", fmt.Errorf("release %s belongs to no configured branch of %s (neither %s nor main is in advisories/products.yaml)", s, p.Name, b)
}
