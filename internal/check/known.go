package check

import (
	"fmt"
	"slices"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
)

// UnknownRelease says why q is not a release check can judge: the product
// keeps a release list (advisories/<product>.releases) and q's version is
// not on it (a typo, a release newer than the list, another product's
// number). It is "" when the version is known, or when the product keeps
// no list. The message names the product and, when the number is a
// release of another product, suggests --product.
func UnknownRelease(q Query, cfg product.Config, lists map[string]*release.List) string {
	l := lists[q.Product]
	if l == nil {
		return ""
	}
	if _, ok := l.Lookup(q.Version); ok {
		return ""
	}
	p := cfg[q.Product]
	msg := fmt.Sprintf("cannot tell: %s is not a known release of %s", q.Version, p.Title)
	if c, err := p.CompareReleases(q.Version, l.Newest()); err == nil && c > 0 {
		msg += fmt.Sprintf(" (the newest known release is %s; the release list, %s, is refreshed when the product repository is resolved)", l.Newest(), "advisories/"+advisory.ReleasesFile(q.Product))
	}
	var others []string
	for _, n := range slices.Sorted(func(yield func(string) bool) {
		for n := range lists {
			if !yield(n) {
				return
			}
		}
	}) {
		if _, ok := lists[n].Lookup(q.Version); ok && n != q.Product {
			others = append(others, n)
		}
	}
	for _, n := range others {
		msg += fmt.Sprintf("; %s is a release of %s: add --product %s", q.Version, cfg[n].Title, n)
	}
	return msg
}
