package resolve

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"sort"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
)

// Lock is product p's lock after a resolution by r: with ids, old with the
// entries of those advisories replaced; without, exactly entries. It records
// the release tags r saw (TagsDigest).
func (r *Resolver) Lock(old *lock.Lock, p *product.Product, entries map[string]*lock.Entry, ids []string) *lock.Lock {
	l := &lock.Lock{Product: p.Name, Repo: p.Repo, Advisories: map[string]*lock.Entry{}}
	if len(ids) > 0 {
		for id, e := range old.Advisories {
			l.Advisories[id] = e
		}
	}
	for id, e := range entries {
		l.Advisories[id] = e
	}
	l.Tags, l.TagsDigest = r.TagsDigest()
	return l
}

// TagsDigest returns the number of release tags and the hex SHA-256 of
// their sorted "name commit" lines: it changes when a release is tagged or
// a tag moves.
func (r *Resolver) TagsDigest() (int, string) {
	tags := r.Tags()
	lines := make([]string, len(tags))
	for k, t := range tags {
		lines[k] = t.Name + " " + r.Graph().Hash(t.Commit).String() + "\n"
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, ln := range lines {
		io.WriteString(h, ln)
	}
	return len(tags), hex.EncodeToString(h.Sum(nil))
}

// Releases is the product's known-release list as the repository's release
// tags give it: every tag matching the product's pattern, with its commit.
func (r *Resolver) Releases(p *product.Product) *release.List {
	tags := make([]release.Tag, 0, len(r.Tags()))
	for _, t := range r.Tags() {
		tags = append(tags, release.Tag{Name: t.Name, Commit: r.Graph().Hash(t.Commit).String()})
	}
	return release.New(p, tags)
}
