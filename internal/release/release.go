// Package release keeps a product's known releases: the committed list
// advisories/<product>.releases, one release tag per line in release
// order, written by `advisory resolve` from the product repository's tags
// and checked against them by `advisory resolve --check`. Without a clone
// it is what every consumer knows of the product's releases: the records
// enumerate authored facts over it (affected[].versions), `check` refuses
// a version that is not on it, and the site judges every release on it.
package release

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/product"
)

// Path is where the release list of a product lives under the database root.
func Path(root, productName string) string {
	return filepath.Join(root, "advisories", advisory.ReleasesFile(productName))
}

// Tag is one release: its tag name as tagged (v3.12.5, 23.3) and, when the
// list was written from a repository, the commit it points to.
type Tag struct {
	Name   string
	Commit string
}

// List is the known releases of one product, in release order.
type List struct {
	Product *product.Product
	Tags    []Tag
}

// New makes a list of a product's release tags, sorted in release order.
// Tags that do not parse as releases of the product are left out, and of
// two spellings of one release (v2.7, v2.7.0) the first is kept.
func New(p *product.Product, tags []Tag) *List {
	l := &List{Product: p}
	for _, t := range tags {
		if p.CheckRelease(t.Name) == nil {
			l.Tags = append(l.Tags, t)
		}
	}
	slices.SortStableFunc(l.Tags, func(a, b Tag) int {
		c, _ := p.CompareReleases(a.Name, b.Name)
		return c
	})
	l.Tags = slices.CompactFunc(l.Tags, func(a, b Tag) bool {
		c, _ := p.CompareReleases(a.Name, b.Name)
		return c == 0
	})
	return l
}

// Lookup returns the tag of release v however spelled (3.12.5 finds
// v3.12.5); ok is false when v is not a known release.
func (l *List) Lookup(v string) (tag string, ok bool) {
	if l == nil || l.Product.CheckRelease(v) != nil {
		return "", false
	}
	i, found := slices.BinarySearchFunc(l.Tags, v, func(t Tag, v string) int {
		c, _ := l.Product.CompareReleases(t.Name, v)
		return c
	})
	if !found {
		return "", false
	}
	return l.Tags[i].Name, true
}

// Newest is the last release of the list ("" when it is empty).
func (l *List) Newest() string {
	if l == nil || len(l.Tags) == 0 {
		return ""
	}
	return l.Tags[len(l.Tags)-1].Name
}

// Names are the tag names, in release order.
func (l *List) Names() []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l.Tags))
	for i, t := range l.Tags {
		out[i] = t.Name
	}
	return out
}

// Digest is the number of releases and the hex SHA-256 of the sorted
// "name commit" lines, as the resolution lock records the tags it saw
// (lock.Lock.TagsDigest); ok is false when a release has no commit.
func (l *List) Digest() (n int, digest string, ok bool) {
	lines := make([]string, 0, len(l.Tags))
	for _, t := range l.Tags {
		if t.Commit == "" {
			return 0, "", false
		}
		lines = append(lines, t.Name+" "+t.Commit+"\n")
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, ln := range lines {
		io.WriteString(h, ln)
	}
	return len(lines), hex.EncodeToString(h.Sum(nil)), true
}

// Format is the file form of the list: a header, then one "name [commit]"
// line per release in release order.
func (l *List) Format() []byte {
	var b strings.Builder
	b.WriteString("# The known releases of " + l.Product.Name + ", one release tag per line in release order,\n")
	b.WriteString("# with the commit it tags when written from the repository. Written by\n")
	b.WriteString("# `advisory resolve`; `advisory resolve --check` fails when it differs from the tags.\n")
	for _, t := range l.Tags {
		b.WriteString(t.Name)
		if t.Commit != "" {
			b.WriteString(" " + t.Commit)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// Diff lists what the list lacks (+tag) and what it has that other does
// not (-tag), comparing names and commits; empty when they agree.
func (l *List) Diff(other *List) []string {
	have := map[string]string{}
	if l != nil {
		for _, t := range l.Tags {
			have[t.Name] = t.Commit
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range other.Tags {
		seen[t.Name] = true
		if c, ok := have[t.Name]; !ok || (c != "" && c != t.Commit) || c == "" {
			out = append(out, "+"+t.Name)
		}
	}
	for name := range have {
		if !seen[name] {
			out = append(out, "-"+name)
		}
	}
	sort.Strings(out)
	return out
}
