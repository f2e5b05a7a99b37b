package lock

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/psf/advisory-builder/internal/advisory"
)

// InputDigest is the digest of what the resolution of an advisory depends on
// in its source: the introduced commit and the branch entries that name a
// commit, in order. A lock entry whose InputDigest differs is stale.
// Authored release facts are not inputs: the resolver computes from commits
// alone, and the facts are cross-checked against its result, so editing
// them (or adding a branch entry holding only facts) keeps the lock current.
func InputDigest(a *advisory.Advisory) string {
	h := sha256.New()
	fmt.Fprintf(h, "introduced %s\n", a.Introduced)
	for _, b := range a.Branches {
		if !b.HasCommit() {
			continue
		}
		fmt.Fprintf(h, "branch %q introduced %q fixed %q last_affected %q\n",
			b.Branch, b.Introduced, b.Fixed, b.LastAffected)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ContentDigest is the digest of what of an entry reaches a record: every
// field but Changed (the upstream tag date, information only) and Warnings
// (shown in pull requests, never published). The build dates a record's
// resolution by when the entry's content digest last changed on the
// database's main line.
func (e *Entry) ContentDigest() string {
	c := *e
	c.Changed, c.Warnings = "", nil
	data, err := json.Marshal(&c)
	if err != nil { // an Entry of strings always marshals
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Resolved reports, for the locks of a database by product, whether an
// advisory has a current entry: one whose input digest matches its range.
func Resolved(locks map[string]*Lock) func(*advisory.Advisory) bool {
	return func(a *advisory.Advisory) bool {
		l := locks[a.Product]
		if l == nil {
			return false
		}
		e := l.Advisories[a.ID]
		return e != nil && e.InputDigest == InputDigest(a)
	}
}
