package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/psf/advisory-builder/internal/version"
	"github.com/psf/advisory-builder/internal/workpool"
)

// search-index.json is what the browser needs to filter and to check a
// version, without the pages (see docs/site.md):
//
//	{"format":2,"products":{<name>:productIndex,...},"advisories":[searchEntry,...]}
//
// It is written entry by entry, so no more than one entry is held at a time.

// productIndex lists every release any advisory of the product names, in
// the product's version order (Scheme: "tags" for CPython, "pep440" for a
// PyPI package); affected runs and branch rows point into it.
type productIndex struct {
	Title  string   `json:"title"`
	Scheme string   `json:"scheme"`
	Tags   []string `json:"tags"`
	// Stable are the branches the configuration lists as bugfix or
	// security (product.Product.Stable), sorted.
	Stable []string `json:"stable,omitempty"`
	// AllStable: the configuration lists no branch statuses, so every
	// branch counts as stable (product.Product.Stable).
	AllStable bool `json:"all_stable,omitempty"`
	// EndOfLife are the branches the configuration lists as end-of-life
	// (no fix will come to them), sorted.
	EndOfLife []string `json:"end_of_life,omitempty"`
	// TagBranches is the branch of each release in Tags, in the same order
	// (product.Product.ReleaseBranch: "3.12" for CPython 3.12.4, "main" for
	// a pip release when pip keeps only main; "" for none), for the
	// index's "Affected branch" filter; absent for a product the
	// configuration does not list.
	TagBranches []string `json:"tag_branches,omitempty"`
	pos         map[string]int
	parsed      *version.Parsed // the product's scheme, each release parsed once
}

type searchEntry struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Severity   string   `json:"severity"`
	Product    string   `json:"product"`
	Published  string   `json:"published"`
	Withdrawn  bool     `json:"withdrawn,omitempty"`
	URL        string   `json:"url"`
	Aliases    []string `json:"aliases,omitempty"`
	Components []string `json:"components,omitempty"`
	// Source is where the version data comes from: computed, authored or
	// unknown.
	Source string `json:"source"`
	// Root: authored data of an advisory whose introduced is "0"
	// (verdict.Summary.FromRoot).
	Root bool `json:"root,omitempty"`
	// Affected holds inclusive [from, to] runs of indexes into the product's
	// tags (computed data); null otherwise.
	Affected [][2]int `json:"affected"`
	// Branches are [branch, status, first, last, fixed_in] with the three
	// releases as indexes into the product's tags, -1 when absent: the
	// computed or the authored per-branch summary.
	Branches []searchBranch `json:"branches,omitempty"`
	// Ranges are the record's ECOSYSTEM ranges (PyPI products), each a list
	// of [kind, version] events, kind introduced, fixed or last_affected.
	Ranges [][][2]string `json:"ranges,omitempty"`
	// Verdicts is the answer for every release in the product's tags, in
	// their order, from the one judge (verdict.Summary.Judge), run-length
	// encoded: "120n30a5u" is 120 releases not affected, 30 affected, 5
	// that cannot be told. The browser only looks answers up.
	Verdicts string `json:"verdicts"`
	// Platforms says which platforms the advisory is limited to, for
	// people ("Windows only"); absent when it affects every platform.
	Platforms string `json:"platforms,omitempty"`
	// UpgradeTo is the nearest release of a maintained branch that fixes
	// the advisory (check.MaintainedFix): what an end-of-life branch's
	// answer names.
	UpgradeTo string `json:"upgrade_to,omitempty"`
}

// searchBranch is [branch, status, first, last, fixed_in].
type searchBranch [5]any

// writeSearchIndex writes search-index.json for views (newest first) to w.
func writeSearchIndex(w io.Writer, views []*advSummary, cfg product.Config) error {
	products := searchProducts(views, cfg)
	return writeSearchIndexOf(w, views, products, newJudgeOrders(views, products))
}

// writeSearchIndexOf is writeSearchIndex given the product indexes and the
// orders to judge through (Writer.Close makes them once for the index pages
// and the search index).
func writeSearchIndexOf(w io.Writer, views []*advSummary, products map[string]*productIndex, orders judgeOrders) error {
	head, err := json.Marshal(products)
	if err != nil {
		return fmt.Errorf("encoding products: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"format":2,"products":`)
	buf.Write(head)
	buf.WriteString(`,"advisories":`)
	if len(views) == 0 {
		buf.WriteString("null")
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return err
	}
	// Each entry judges its advisory against every release of its product:
	// the entries are made on every CPU and written in order.
	err = workpool.Ordered(len(views), workpool.CPUWorkers(), func(i int) ([]byte, error) {
		v := views[i]
		b, err := json.Marshal(newSearchEntry(v, products[v.Product], orders))
		if err != nil {
			return nil, fmt.Errorf("encoding %s: %w", v.ID, err)
		}
		return b, nil
	}, func(i int, b []byte) error {
		sep := ","
		if i == 0 {
			sep = "["
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	buf.Reset()
	if len(views) > 0 {
		buf.WriteByte(']')
	}
	buf.WriteString("}\n")
	_, err = w.Write(buf.Bytes())
	return err
}

// searchProducts collects, per product, every release tag the advisories
// name, in version order.
func searchProducts(views []*advSummary, cfg product.Config) map[string]*productIndex {
	products := map[string]*productIndex{}
	for _, p := range sortedProducts(cfg) {
		pi := newProductIndex(orDefault(p.Title, p.Name), p.Scheme())
		pi.AllStable = len(p.Branches) == 0
		for _, b := range slices.Sorted(maps.Keys(p.Branches)) {
			if p.Stable(b) {
				pi.Stable = append(pi.Stable, b)
			}
			if p.Branches[b] == product.StatusEndOfLife {
				pi.EndOfLife = append(pi.EndOfLife, b)
			}
		}
		products[p.Name] = pi
	}
	for _, v := range views {
		pi := products[v.Product]
		if pi == nil {
			pi = newProductIndex(v.ProductTitle, v.scheme)
			products[v.Product] = pi
		}
		pi.addTags(v.data().Releases) // the known releases, when the product keeps a list
		pi.addTags(v.rawVersions())
		for _, b := range v.branches() {
			pi.addTags([]string{b.FirstAffected, b.LastAffected, b.FixedIn})
		}
	}
	for _, pi := range products {
		pi.parsed.Sort(pi.Tags)
		for i, t := range pi.Tags {
			pi.pos[pi.key(t)] = i
		}
	}
	addTagBranches(products, cfg)
	return products
}

// addTagBranches names the branch of every release of each configured
// product, so the browser never works a branch out by rules of its own.
func addTagBranches(products map[string]*productIndex, cfg product.Config) {
	for name, pi := range products {
		p := cfg[name]
		if p == nil {
			continue
		}
		pi.TagBranches = make([]string, len(pi.Tags))
		for i, t := range pi.Tags {
			if b, err := p.ReleaseBranch(t); err == nil {
				pi.TagBranches[i] = b
			}
		}
	}
}

func newProductIndex(title string, s version.Scheme) *productIndex {
	return &productIndex{Title: title, Scheme: s.String(), Tags: []string{}, pos: map[string]int{}, parsed: s.Parsed()}
}

// addTags adds releases not yet listed; one spelling per release (the
// first seen: v3.12.6 and an authored 3.12.6 share one entry).
func (pi *productIndex) addTags(tags []string) {
	for _, t := range tags {
		if k := pi.key(t); t != "" && t != "0" { // "0" is a bound, not a release
			if _, ok := pi.pos[k]; !ok {
				pi.pos[k] = 0
				pi.Tags = append(pi.Tags, t)
			}
		}
	}
}

// key is the release's canonical spelling in the product's scheme (the raw
// text when it does not parse).
func (pi *productIndex) key(t string) string {
	if c, err := pi.parsed.Canonical(t); err == nil {
		return c
	}
	return t
}

// at is the index of a release in Tags, -1 when absent.
func (pi *productIndex) at(t string) int {
	if i, ok := pi.pos[pi.key(t)]; ok && t != "" {
		return i
	}
	return -1
}

func newSearchEntry(v *advSummary, pi *productIndex, orders judgeOrders) searchEntry {
	e := searchEntry{
		ID: v.ID, Title: v.Title, Severity: v.Severity, Product: v.Product,
		Published: v.PublishedDate, Withdrawn: v.Withdrawn != "", URL: v.href(),
		Components: v.Components, Aliases: v.aliasIDs(), Source: v.Source,
		Platforms: v.platforms, UpgradeTo: v.maintainedFix(),
	}
	e.Verdicts = verdicts(v, pi, orders)
	if !v.Known {
		return e
	}
	e.Ranges = v.ecoEvents
	e.Root = v.Source == string(verdict.Authored) && v.data().FromRoot
	if v.Source == string(verdict.Computed) {
		raw := v.rawVersions()
		idxs := make([]int, 0, len(raw))
		for _, t := range raw {
			idxs = append(idxs, pi.at(t))
		}
		e.Affected = runs(idxs)
	}
	for _, b := range v.branches() {
		e.Branches = append(e.Branches, searchBranch{
			clip(b.Branch, 40), statusKey(b.Status), pi.at(b.FirstAffected), pi.at(b.LastAffected), pi.at(b.FixedIn),
		})
	}
	return e
}

// newJudgeOrders wraps each product order the views judge through in a
// memoOrder over every release the judging compares: the product index's
// tags (the known releases among them) and every release the views'
// version data and events name (an order whose table would be too large is
// left out: judged directly).
func newJudgeOrders(views []*advSummary, products map[string]*productIndex) judgeOrders {
	rows := map[*product.Order]map[string]int32{}
	for _, v := range views {
		o := v.order
		if o == nil {
			continue
		}
		at := rows[o]
		if at == nil {
			at = map[string]int32{}
			rows[o] = at
			addRows(at, products[v.Product].Tags)
		}
		addRows(at, judgedReleases(v))
	}
	out := judgeOrders{}
	for o, at := range rows {
		if m := newMemoOrder(o, at); m != nil {
			out[o] = m
		}
	}
	return out
}

// addRows numbers the releases not numbered yet (empty strings skipped).
func addRows(at map[string]int32, releases []string) {
	for _, r := range releases {
		if _, ok := at[r]; !ok && r != "" {
			at[r] = int32(len(at))
		}
	}
}

// judgedReleases are the releases an advisory's version data and events
// name.
func judgedReleases(v *advSummary) []string {
	d := v.data()
	out := slices.Clone(d.Versions) // the known releases are among the index's tags
	for _, b := range d.Branches {
		out = append(out, b.FirstAffected, b.LastAffected, b.FixedIn)
	}
	for _, e := range v.events() {
		out = append(out, e.Introduced, e.Fixed, e.LastAffected)
	}
	return out
}

// verdicts judges the advisory for every release of the product's index
// (see searchEntry.Verdicts).
func verdicts(v *advSummary, pi *productIndex, orders judgeOrders) string {
	d, p := v.data(), v.own
	o := orders.of(v)
	if p == nil {
		p = &product.Product{Name: v.Product}
		o = p
	}
	evs := v.events()
	var b strings.Builder
	run, last := 0, byte(0)
	flush := func() {
		if run > 0 {
			b.WriteString(strconv.Itoa(run))
			b.WriteByte(last)
		}
	}
	for _, t := range pi.Tags {
		c := verdictChar(d.Judge(o, p.Package != nil, evs, t).Outcome)
		if c != last {
			flush()
			run, last = 0, c
		}
		run++
	}
	flush()
	return b.String()
}

func verdictChar(o verdict.Outcome) byte {
	switch o {
	case verdict.Affected:
		return 'a'
	case verdict.NotAffected:
		return 'n'
	}
	return 'u'
}

// runs turns indexes into sorted, inclusive [from, to] runs.
func runs(idxs []int) [][2]int {
	out := [][2]int{}
	sort.Ints(idxs)
	for _, i := range idxs {
		if n := len(out); n > 0 && i <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], i)
			continue
		}
		out = append(out, [2]int{i, i})
	}
	return out
}
