// Package resolve computes which release tags an advisory affects, per OSV's
// GIT range semantics over full ancestry: a tag T is affected iff some
// introduced commit I is an ancestor-or-self of T and no fixed commit F has
// I ⪯ F ⪯ T; a last_affected commit L counts as a fix at each child of L;
// introduced "0" means no introducing commit, as in git and osv.dev: a tag is
// then affected iff it contains no fix (not "every root commit": a root merged
// in later would re-introduce the flaw). It also discovers backports of a fix
// and summarises each branch.
package resolve

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/version"
)

// Resolver answers affected-tag queries over one loaded graph. It knows,
// for the commits it is asked about, the set of tips (release tags, then
// branch heads) that contain them (see reach.go).
type Resolver struct {
	g     *gitgraph.Graph
	tags  []gitgraph.Tag
	heads []Head
	reach reach
}

// Origin stands for introduced "0" in a Range: no introducing commit, an
// ancestor of every commit.
const Origin = ^uint32(0)

// Head is a branch head used as an extra tip: "main" or "X.Y".
type Head struct {
	Branch string
	Commit uint32
}

// New prepares a resolver over the release tags (in version order) and the
// branch heads of g.
func New(g *gitgraph.Graph, tags []gitgraph.Tag, heads []Head) *Resolver {
	r := &Resolver{g: g, tags: tags, heads: heads}
	r.reach = newReach(g, r.tipCommits())
	return r
}

// tipCommits lists the commit of each tip: tags, then heads.
func (r *Resolver) tipCommits() []uint32 {
	out := make([]uint32, 0, r.tips())
	for _, t := range r.tags {
		out = append(out, t.Commit)
	}
	for _, h := range r.heads {
		out = append(out, h.Commit)
	}
	return out
}

func (r *Resolver) tips() int { return len(r.tags) + len(r.heads) }

// Graph returns the graph the resolver works on.
func (r *Resolver) Graph() *gitgraph.Graph { return r.g }

// Tags returns the release tags in version order.
func (r *Resolver) Tags() []gitgraph.Tag { return r.tags }

// Input is one range: commits as hex hashes (full, or unique prefixes of at
// least 7 digits); "0" in Introduced means no introducing commit (Origin).
type Input struct {
	ID           string   `json:"id"`
	Introduced   []string `json:"introduced"`
	Fixed        []string `json:"fixed"`
	LastAffected []string `json:"last_affected"`
}

// Range is an Input looked up in the graph: last_affected commits are
// replaced by their children among the fixes.
type Range struct {
	Introduced []uint32
	Fixed      []uint32
	// FixedFrom tells, for each Fixed entry, the last_affected commit it
	// stands for, or -1 when it was given as fixed.
	FixedFrom []int64
}

// Lookup resolves an Input's commits. Errors name the field and the commit.
func (r *Resolver) Lookup(in Input) (Range, error) {
	var rg Range
	for _, s := range in.Introduced {
		if s == "0" {
			rg.Introduced = append(rg.Introduced, Origin)
			continue
		}
		c, err := r.g.Lookup(s)
		if err != nil {
			return rg, fmt.Errorf("introduced: %w", err)
		}
		rg.Introduced = append(rg.Introduced, c)
	}
	for _, s := range in.Fixed {
		c, err := r.g.Lookup(s)
		if err != nil {
			return rg, fmt.Errorf("fixed: %w", err)
		}
		rg.Fixed = append(rg.Fixed, c)
		rg.FixedFrom = append(rg.FixedFrom, -1)
	}
	for _, s := range in.LastAffected {
		c, err := r.g.Lookup(s)
		if err != nil {
			return rg, fmt.Errorf("last_affected: %w", err)
		}
		for _, ch := range r.g.Children(c) {
			rg.Fixed = append(rg.Fixed, ch)
			rg.FixedFrom = append(rg.FixedFrom, int64(c))
		}
	}
	return rg, nil
}

// ancestry holds, for each commit from the first introduced commit to the
// last fixed one, which of a set of introduced commits are its
// ancestors-or-self, computed in one forward topological pass over that
// span only (a commit numbered before an introduced commit cannot descend
// from it). Sets are shared: a commit that is not introduced and whose
// parents in the span all have the same set has that set, so only the
// introduced commits and the merges that join different sets make new
// ones, and each commit keeps only the number of its set (4 bytes, where a
// set of its own took 8 or more: fewer fresh pages for a run to fault in).
type ancestry struct {
	slot map[uint32]int
	lo   uint32   // first commit of the span
	of   []uint32 // the set of commit c is sets.row(of[c-lo]), lo <= c <= the last fix
	sets rows     // set 0 is empty
}

func (r *Resolver) ancestry(ranges []Range) ancestry {
	a := ancestry{slot: map[uint32]int{}}
	var intro []uint32
	lo, hi := uint32(r.g.Len()), uint32(0)
	for _, rg := range ranges {
		for _, c := range rg.Introduced {
			if _, ok := a.slot[c]; !ok && c != Origin {
				a.slot[c] = len(intro)
				intro = append(intro, c)
				lo = min(lo, c)
			}
		}
		for _, f := range rg.Fixed {
			hi = max(hi, f)
		}
	}
	if len(intro) == 0 || hi < lo {
		return a
	}
	a.lo = lo
	a.of = make([]uint32, hi-lo+1)
	a.sets = newRows(1, len(intro))
	slices.Sort(intro)
	joined := newBitset(len(intro))
	for c := lo; c <= hi; c++ {
		set, mixed := uint32(0), false
		parents := r.g.Parents(c)
		for k, p := range parents {
			switch {
			case p < lo:
			case k == 0:
				set = a.of[p-lo]
			default:
				mixed = mixed || a.of[p-lo] != set
			}
		}
		introduced := len(intro) > 0 && intro[0] == c
		if mixed || introduced {
			clear(joined)
			for _, p := range parents {
				if p >= lo {
					joined.or(a.sets.row(a.of[p-lo]))
				}
			}
			if introduced {
				joined.set(a.slot[c])
				intro = intro[1:]
			}
			set = a.add(joined, parents)
		}
		a.of[c-lo] = set
	}
	return a
}

// add returns the number of set b: a parent's set when b equals it (a
// merge bringing in no introduced commit), else a new one.
func (a *ancestry) add(b bitset, parents []uint32) uint32 {
	for _, p := range parents {
		if p >= a.lo && slices.Equal(a.sets.row(a.of[p-a.lo]), b) {
			return a.of[p-a.lo]
		}
	}
	a.sets.data = append(a.sets.data, b...)
	return uint32(len(a.sets.data)/a.sets.words - 1)
}

// isAncestor reports whether introduced commit i is an ancestor-or-self of
// c, a fixed commit of the ranges (Origin is an ancestor of every commit).
func (a ancestry) isAncestor(i, c uint32) bool {
	if i == Origin {
		return true
	}
	if c < a.lo || int(c-a.lo) >= len(a.of) {
		return false
	}
	return a.sets.row(a.of[c-a.lo]).has(a.slot[i])
}

// Contains reports whether tip t (a tag index, or len(Tags)+k for head k)
// contains commit c (Origin: every tip).
func (r *Resolver) Contains(c uint32, t int) bool {
	return c == Origin || r.reach.tipsOf(c).has(t)
}

// tipsOf returns the tips containing c (every tip for Origin); read only.
func (r *Resolver) tipsOf(c uint32) bitset {
	if c == Origin {
		all := newBitset(r.tips())
		for t := range r.tips() {
			all.set(t)
		}
		return all
	}
	return r.reach.tipsOf(c)
}

// Result is the affected tips of one range.
type Result struct {
	r        *Resolver
	rg       Range
	anc      ancestry
	affected bitset
}

// ResolveAll resolves many ranges with one ancestry pass.
func (r *Resolver) ResolveAll(ranges []Range) []*Result {
	var need []uint32
	for _, rg := range ranges {
		need = append(need, rg.Introduced...)
		need = append(need, rg.Fixed...)
	}
	r.reach.prepare(need)
	anc := r.ancestry(ranges)
	out := make([]*Result, len(ranges))
	for k, rg := range ranges {
		out[k] = r.resolveOne(rg, anc)
	}
	return out
}

// Resolve resolves one range.
func (r *Resolver) Resolve(rg Range) *Result { return r.ResolveAll([]Range{rg})[0] }

func (r *Resolver) resolveOne(rg Range, anc ancestry) *Result {
	res := &Result{r: r, rg: rg, anc: anc, affected: newBitset(r.tips())}
	live := newBitset(r.tips())
	for _, i := range rg.Introduced {
		copy(live, r.tipsOf(i))
		for _, f := range rg.Fixed {
			if anc.isAncestor(i, f) {
				live.andNot(r.reach.tipsOf(f))
			}
		}
		res.affected.or(live)
	}
	return res
}

// Affected reports whether tip t is affected.
func (res *Result) Affected(t int) bool { return res.affected.has(t) }

// Versions returns the affected release tag names in version order.
func (res *Result) Versions() []string {
	out := make([]string, 0, res.affected.count())
	for t, tag := range res.r.tags {
		if res.affected.has(t) {
			out = append(out, tag.Name)
		}
	}
	return out
}

// HeadAffected reports whether branch head k is affected.
func (res *Result) HeadAffected(k int) bool { return res.affected.has(len(res.r.tags) + k) }

// NewForGraph prepares a resolver over the tags of g matching re and the
// branch heads of g ("main", "master" and X.Y branches, local or remote).
func NewForGraph(g *gitgraph.Graph, re *regexp.Regexp) *Resolver {
	tags, _ := g.Tags(re)
	return New(g, tags, BranchHeads(g))
}

// BranchHeads finds the heads of main (or master) and of X.Y branches.
func BranchHeads(g *gitgraph.Graph) []Head {
	seen := map[string]bool{}
	var names []string
	for _, ref := range g.Refs() {
		name := ref.Name
		switch {
		case strings.HasPrefix(name, "refs/heads/"):
			name = strings.TrimPrefix(name, "refs/heads/")
		case strings.HasPrefix(name, "refs/remotes/"):
			rest := strings.TrimPrefix(name, "refs/remotes/")
			_, name, _ = strings.Cut(rest, "/")
		default:
			continue
		}
		if (name == "master" || rule.IsBranch(name)) && !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	if seen["main"] && seen["master"] {
		names = slices.DeleteFunc(names, func(s string) bool { return s == "master" })
	}
	slices.SortFunc(names, func(a, b string) int { return -version.CompareBranches(a, b) })
	var heads []Head
	for _, n := range names {
		c, _ := g.Branch(n)
		b := n
		if b == "master" {
			b = "main"
		}
		heads = append(heads, Head{Branch: b, Commit: c})
	}
	return heads
}
