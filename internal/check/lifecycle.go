package check

import (
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/psf/advisory-builder/internal/version"
)

// EndOfLifeBranch is the branch of version when the products configuration
// lists it as end-of-life (no fix will come to it), else "".
func EndOfLifeBranch(p *product.Product, version string) string {
	if p == nil {
		return ""
	}
	b, err := p.ReleaseBranch(version)
	if err != nil || p.Branches[b] != product.StatusEndOfLife {
		return ""
	}
	return b
}

// MaintainedFix is the nearest release that fixes the advisory on a
// maintained branch (feature, prerelease, bugfix or security): the lowest
// fixed-in release of such a branch above v ("" for any), in plain
// spelling; "" when no maintained branch has a fixed release.
func MaintainedFix(d verdict.Summary, p *product.Product, v string) string {
	best := ""
	for _, b := range d.Branches {
		if b.Status != lock.StatusFixed || b.FixedIn == "" || !product.Maintained(p.Branches[b.Branch]) {
			continue
		}
		if v != "" {
			if c, err := p.CompareReleases(b.FixedIn, v); err != nil || c <= 0 {
				continue
			}
		}
		if best == "" {
			best = b.FixedIn
			continue
		}
		if c, err := p.CompareReleases(b.FixedIn, best); err == nil && c < 0 {
			best = b.FixedIn
		}
	}
	if best == "" {
		return ""
	}
	return version.Plain(best)
}
