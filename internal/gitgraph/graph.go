// Package gitgraph loads the commit DAG and the refs of a git repository
// (bare or not) with go-git: every commit reachable from a branch, tag or
// remote-tracking ref, in topological order, and the release tags peeled to
// their commits. It needs only commits and tag objects, so partial clones
// (--filter=tree:0, --filter=blob:none) load like full ones; it refuses
// shallow clones and repositories missing a commit that history needs, so
// that a missing commit never reads as "not affected".
// A loaded graph is cached (see Options.CacheDir) keyed by the repository's
// refs: commits are content-addressed, so equal refs mean an equal graph.
package gitgraph

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/psf/advisory-builder/internal/version"
)

// Graph is a repository's commit DAG. Commits are numbered 0..N-1 in a
// topological order: every parent has a smaller number than its children.
type Graph struct {
	// Dir is the repository directory the graph was loaded from.
	Dir string
	// FromCache tells whether the graph came from the cache.
	FromCache bool
	// UsedCommitGraph tells whether the repository's commit-graph file served
	// the load.
	UsedCommitGraph bool
	// Partial tells that the repository is a partial clone (a promisor pack
	// or remote): every commit is present, but trees and blobs may not be,
	// and PatchID asks git to fetch them.
	Partial bool

	hashes    []byte   // N*20 bytes
	parentOff []uint32 // N+1 offsets into parents
	parents   []uint32
	n         int   // commits
	refs      []Ref // sorted by name

	sorted   []uint32 // commit numbers sorted by hash, for lookups
	children [][]uint32
	key      string
	msgs     *Messages
	gitDir   string
	cacheDir string                     // "" when caching is off
	repo     *repository                // opened on demand (PatchID); see Close
	patchIDs map[plumbing.Hash][32]byte // the patch identity cache, read on first use
	// computing is Options.Computing (never nil once opened)
	computing func()
}

// Close releases the repository files PatchID keeps open.
func (g *Graph) Close() error {
	if g.repo == nil {
		return nil
	}
	err := g.repo.Close()
	g.repo = nil
	return err
}

// Ref is one branch, tag or remote-tracking ref and the commit it peels to.
type Ref struct {
	// Name is the full ref name (refs/tags/v3.12.4).
	Name string
	// Commit is the commit number the ref peels to.
	Commit uint32
	// Time is the tag's date: the tagger time of an annotated tag, else the
	// commit's committer time (Unix seconds).
	Time int64
	// Annotated tells whether the ref points to a tag object.
	Annotated bool
}

// Tag is a release tag.
type Tag struct {
	Name    string
	Commit  uint32
	Time    int64
	Version version.Version
}

// Len is the number of commits.
func (g *Graph) Len() int { return g.n }

// Hash returns the hash of commit i.
func (g *Graph) Hash(i uint32) plumbing.Hash {
	var h plumbing.Hash
	copy(h[:], g.hashes[int(i)*20:])
	return h
}

// Parents returns the parents of commit i (shared; do not modify).
func (g *Graph) Parents(i uint32) []uint32 { return g.parents[g.parentOff[i]:g.parentOff[i+1]] }

// Refs returns every ref, sorted by name (shared; do not modify).
func (g *Graph) Refs() []Ref { return g.refs }

// Roots returns the commits without parents.
func (g *Graph) Roots() []uint32 {
	var roots []uint32
	for i := range g.n {
		if g.parentOff[i] == g.parentOff[i+1] {
			roots = append(roots, uint32(i))
		}
	}
	return roots
}

// Children returns the children of commit i (shared; do not modify).
func (g *Graph) Children(i uint32) []uint32 {
	if g.children == nil {
		g.children = make([][]uint32, g.Len())
		for c := range g.n {
			for _, p := range g.Parents(uint32(c)) {
				g.children[p] = append(g.children[p], uint32(c))
			}
		}
	}
	return g.children[i]
}

// Tags returns the release tags whose short names match re and parse as
// versions, in version order; tags that match but do not parse are returned
// in skipped.
func (g *Graph) Tags(re *regexp.Regexp) (tags []Tag, skipped []string) {
	tags = make([]Tag, 0, g.countTags())
	for _, r := range g.refs {
		name, ok := strings.CutPrefix(r.Name, "refs/tags/")
		if !ok || !re.MatchString(name) {
			continue
		}
		v, err := version.Parse(name)
		if err != nil {
			skipped = append(skipped, name)
			continue
		}
		tags = append(tags, Tag{Name: name, Commit: r.Commit, Time: r.Time, Version: v})
	}
	slices.SortFunc(tags, func(a, b Tag) int { return a.Version.Compare(b.Version) })
	return tags, skipped
}

// countTags is the number of refs under refs/tags/ (the refs are sorted
// by name, so they are one run).
func (g *Graph) countTags() int {
	lo := sort.Search(len(g.refs), func(i int) bool { return g.refs[i].Name >= "refs/tags/" })
	hi := sort.Search(len(g.refs), func(i int) bool { return g.refs[i].Name >= "refs/tags0" }) // '0' follows '/'
	return hi - lo
}

// Branch returns the commit of the first ref that exists among
// refs/heads/<name> and refs/remotes/*/<name>.
func (g *Graph) Branch(name string) (uint32, bool) {
	if r, ok := g.ref("refs/heads/" + name); ok {
		return r.Commit, true
	}
	for _, r := range g.refs {
		rest, ok := strings.CutPrefix(r.Name, "refs/remotes/")
		if ok && strings.HasSuffix(rest, "/"+name) && strings.Count(rest, "/") == strings.Count(name, "/")+1 {
			return r.Commit, true
		}
	}
	return 0, false
}

func (g *Graph) ref(name string) (Ref, bool) {
	i := sort.Search(len(g.refs), func(i int) bool { return g.refs[i].Name >= name })
	if i < len(g.refs) && g.refs[i].Name == name {
		return g.refs[i], true
	}
	return Ref{}, false
}

// Lookup finds a commit by its full hash or by a unique prefix of at least
// 7 hex digits, by binary search over the commits in hash order.
func (g *Graph) Lookup(s string) (uint32, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 7 || len(s) > 40 || !isHex(s) {
		return 0, fmt.Errorf("commit %q: want 7 to 40 hex digits", s)
	}
	if g.sorted == nil {
		g.sorted = sortByHash(g)
	}
	// an odd prefix is padded with 0 for the search, then compared by digits
	raw, _ := hex.DecodeString(s + strings.Repeat("0", len(s)%2))
	k := sort.Search(len(g.sorted), func(k int) bool { return compareHash(g.hashAt(g.sorted[k]), raw) >= 0 })
	var found []uint32
	for ; k < len(g.sorted) && hasHexPrefix(g.hashAt(g.sorted[k]), s); k++ {
		found = append(found, g.sorted[k])
	}
	switch len(found) {
	case 0:
		return 0, &NotFoundError{Commit: s}
	case 1:
		return found[0], nil
	}
	return 0, fmt.Errorf("commit prefix %q is ambiguous (%d commits); give more digits", s, len(found))
}

func compareHash(a, b []byte) int { return bytes.Compare(a, b) }

// hasHexPrefix tells whether hash spelled in lower-case hex starts with s
// (lower-case hex digits), without spelling it.
func hasHexPrefix(hash []byte, s string) bool {
	const digits = "0123456789abcdef"
	for k := 0; k < len(s); k++ {
		if k/2 >= len(hash) {
			return false
		}
		nib := hash[k/2] >> 4
		if k%2 == 1 {
			nib = hash[k/2] & 0xf
		}
		if digits[nib] != s[k] {
			return false
		}
	}
	return true
}

func (g *Graph) hashAt(i uint32) []byte { return g.hashes[int(i)*20 : int(i)*20+20] }

func isHex(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// NotFoundError is a commit that is not in the loaded history.
type NotFoundError struct{ Commit string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("commit %s is not in the repository's history (no branch, tag or remote ref reaches it): fetch it, or check the hash", e.Commit)
}
