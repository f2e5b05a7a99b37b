package resolve

import (
	"slices"
	"strconv"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/version"
)

// Index is the commit-message index of one product's repository (which
// commits were cherry-picked from which, which titles name which pull
// request or issue, which commits revert which) and resolves the product's
// advisories with it: it places commits on branches, discovers backports
// and summarises each branch.
type Index struct {
	r    *Resolver
	msgs *gitgraph.Messages
	p    *product.Product

	// seriesMode: the product has X.Y maintenance branches (CPython), so
	// each release series is a branch; otherwise (pip) every tag is main's.
	seriesMode bool
	series     map[string][]int // X.Y -> tag indexes, version order
	tagSeries  []string         // tag index -> its X.Y
	tagIndex   map[string]int   // tag name -> tag index
	heads      map[string]int   // branch -> head index
	pickedFrom map[string][]uint32
	revertedBy map[string][]uint32

	// PatchID, when set, confirms backports found by issue reference by
	// comparing patch identities (gitgraph.Graph.PatchID).
	PatchID func(c uint32) (string, error)
	// PrefetchPatches, when set, is told the commits whose patch identities
	// an advisory is about to compare, so that a partial clone fetches what
	// they need at once (gitgraph.Graph.PrefetchPatches); its error is
	// ignored (PatchID then fails and the advisory says so).
	PrefetchPatches func(commits []uint32) error
	patchIDs        map[uint32]patchResult
}

// NewIndex prepares the resolution of a product's advisories. msgs may be
// nil: no backport discovery then, and branches come from tags alone.
func NewIndex(r *Resolver, msgs *gitgraph.Messages, p *product.Product) *Index {
	d := &Index{r: r, msgs: msgs, p: p, series: map[string][]int{}, heads: map[string]int{},
		pickedFrom: map[string][]uint32{}, revertedBy: map[string][]uint32{}}
	for b := range p.Branches {
		if b != "main" {
			d.seriesMode = true
		}
	}
	for k, h := range r.heads {
		d.heads[h.Branch] = k
		if h.Branch != "main" {
			d.seriesMode = true
		}
	}
	d.tagSeries = make([]string, len(r.tags))
	d.tagIndex = make(map[string]int, len(r.tags))
	for t, tag := range r.tags {
		d.tagIndex[tag.Name] = t
		s := tag.Version.Branch()
		d.tagSeries[t] = s
		d.series[s] = append(d.series[s], t)
	}
	if msgs != nil {
		d.indexMessages()
	}
	return d
}

func (d *Index) indexMessages() {
	m := d.msgs
	for c, srcs := range m.Picked {
		for _, s := range srcs {
			d.pickedFrom[s] = append(d.pickedFrom[s], c)
		}
	}
	for c, targets := range m.Reverts {
		for _, s := range targets {
			d.revertedBy[s] = append(d.revertedBy[s], c)
		}
	}
	for k := range d.pickedFrom {
		slices.Sort(d.pickedFrom[k])
	}
	for k := range d.revertedBy {
		slices.Sort(d.revertedBy[k])
	}
}

// issueIndex returns the commits whose titles name an issue reference
// (gitgraph.IssueRefs), from the messages' cached index.
func (d *Index) issueIndex(ref string) []uint32 {
	if d.msgs == nil {
		return nil
	}
	return d.msgs.Issues.Get(ref)
}

// backports returns the commits whose "[X.Y]" titles reference pull
// request n as (GH-n), from the messages' cached index.
func (d *Index) backports(n int) []uint32 {
	if d.msgs == nil {
		return nil
	}
	return d.msgs.Backports.Get(strconv.Itoa(n))
}

// patchID is d.PatchID, remembered per commit (errors too).
func (d *Index) patchID(c uint32) (string, error) {
	if d.patchIDs == nil {
		d.patchIDs = map[uint32]patchResult{}
	}
	if r, ok := d.patchIDs[c]; ok {
		return r.id, r.err
	}
	id, err := d.PatchID(c)
	d.patchIDs[c] = patchResult{id, err}
	return id, err
}

type patchResult struct {
	id  string
	err error
}

func (d *Index) title(c uint32) string {
	if d.msgs == nil {
		return ""
	}
	return d.msgs.Title(c)
}

// Place tells the branch a commit landed on: the "[X.Y]" prefix of its
// title; else, in series mode, the series of the first release containing
// it when that is a bugfix release (X.Y.Z, Z > 0: the commit was on the
// X.Y branch, perhaps merged forward as in CPython's Mercurial years); else
// the one series whose tags contain it if main's head does not; else
// "main" when main's head or any tag contains it; else the X.Y branch whose
// head contains it; "" when nothing tells.
func (d *Index) Place(c uint32) string {
	if b := gitgraph.TitleBranch(d.title(c)); b != "" {
		return b
	}
	if !d.seriesMode {
		return "main"
	}
	row := d.r.tipsOf(c) // read once: the loop below visits every tag
	mainHas := false
	if k, ok := d.heads["main"]; ok {
		mainHas = row.has(len(d.r.tags) + k)
	}
	var seen []string
	first := -1
	for t := range d.r.tags {
		if !row.has(t) {
			continue
		}
		if first < 0 {
			first = t
		}
		if s := d.tagSeries[t]; len(seen) == 0 || seen[len(seen)-1] != s && !slices.Contains(seen, s) {
			seen = append(seen, s)
		}
	}
	switch {
	case first >= 0 && d.r.tags[first].Version.Patch > 0:
		return d.tagSeries[first]
	case len(seen) == 1 && !mainHas:
		return seen[0]
	case len(seen) > 0 || mainHas:
		return "main"
	}
	for _, h := range d.r.heads {
		if h.Branch != "main" && d.r.Contains(c, len(d.r.tags)+d.heads[h.Branch]) {
			return h.Branch
		}
	}
	return ""
}

// reverted returns a commit that reverts c and is not itself reverted.
func (d *Index) reverted(c uint32, depth int) (uint32, bool) {
	if depth > 8 {
		return 0, false
	}
	for _, r := range d.revertedBy[d.r.g.Hash(c).String()] {
		if _, again := d.reverted(r, depth+1); !again {
			return r, true
		}
	}
	return 0, false
}

// branchOrder sorts branch names main first, then newest X.Y first.
func branchOrder(a, b string) int { return -version.CompareBranches(a, b) }
