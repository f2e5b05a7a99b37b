package site

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// memoSamples mixes tags, PEP 440 versions and text that is neither.
var memoSamples = []string{
	"v3.12.6", "3.12.6", "v2.7", "2.7.0", "v2.5c1", "2.5rc1", "v3.13.0rc1", "3.13.0a2", "v3.14.0b1",
	"23.3", "10.0.0b1", "1.0-1", "1.0.post1", "2!1.0.dev3+local.7", "1.0+Ubuntu-1", "0.2", "v23.3",
	"0", " 1.0", "main", "v3", "3.12.6.1", "1.0ALPHA", "23.3.0", "v3.12.10", "3.12.10",
}

// TestMemoOrderAgrees holds a memoOrder to the order it wraps: every pair
// of samples (those it was made for and others), asked twice, from several
// goroutines at once, gives the wrapped order's answer and error. (Each
// goroutine checks against an order of its own: the PEP 440 library pads
// a version's parts in place as it compares, so goroutines sharing one
// order race inside it; the memoOrder asks its order under a lock, which
// `go test -race` checks here.)
func TestMemoOrderAgrees(t *testing.T) {
	for name, p := range fixtureConfig() {
		at := map[string]int32{}
		addRows(at, memoSamples[:len(memoSamples)-4]) // the last few fall through
		m := newMemoOrder(p.Order(), at)
		var wg sync.WaitGroup
		for g := range 4 {
			want := p.Order()
			wg.Go(func() {
				for range 2 {
					for i := range memoSamples {
						a := memoSamples[(i+g)%len(memoSamples)]
						for _, b := range memoSamples {
							assertSameCompare(t, name, m, want, a, b)
						}
					}
				}
			})
		}
		wg.Wait()
	}
}

func assertSameCompare(t *testing.T, name string, m *memoOrder, want *product.Order, a, b string) {
	t.Helper()
	g, gerr := m.CompareReleases(a, b)
	w, werr := want.CompareReleases(a, b)
	if g != w || fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Errorf("%s: CompareReleases(%q, %q) = %d, %v; the order says %d, %v", name, a, b, g, gerr, w, werr)
	}
}

// TestMemoOrderTooMany: past maxMemoReleases no table is made.
func TestMemoOrderTooMany(t *testing.T) {
	at := map[string]int32{}
	for i := range maxMemoReleases + 1 {
		addRows(at, []string{fmt.Sprintf("1.%d", i)})
	}
	if m := newMemoOrder(fixtureConfig()["pip"].Order(), at); m != nil {
		t.Fatalf("newMemoOrder made a %d x %d table", m.n, m.n)
	}
}

// TestSearchIndexMemoSame: the search index's verdicts and the index rows'
// affected branches judged through the memoOrders are those judged
// through the products' orders, on the fixture records and on seeded
// random ones of both products (the pip ones with a known release list).
func TestSearchIndexMemoSame(t *testing.T) {
	cfg := fixtureConfig()
	recs := append(fixtureRecords(cfg), generateRecords(cfg, 200)...)
	recs = append(recs, randomPipRecords(cfg, rand.New(rand.NewPCG(22, 1)), 300)...)
	views, err := buildSummaries(recs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	products := searchProducts(views, cfg)
	orders := newJudgeOrders(views, products)
	if len(orders) != 2 {
		t.Fatalf("%d memo orders, want one per product", len(orders))
	}
	seen := map[rune]bool{}
	branchKeys := 0 // pip rows whose branches were judged over the release list
	for _, v := range views {
		got := newSearchEntry(v, products[v.Product], orders)
		want := newSearchEntry(v, products[v.Product], nil)
		if got.Verdicts != want.Verdicts {
			t.Errorf("%s: verdicts %q through the memo, %q through the order", v.ID, got.Verdicts, want.Verdicts)
		}
		if got, want := newIndexRow(v, orders).BranchKeys, newIndexRow(v, nil).BranchKeys; got != want {
			t.Errorf("%s: affected branches %q through the memo, %q through the order", v.ID, got, want)
		}
		if v.Product == "pip" && len(v.data().Releases) > 0 && newIndexRow(v, nil).BranchKeys != "" {
			branchKeys++
		}
		for _, c := range got.Verdicts {
			seen[c] = true
		}
	}
	if !seen['a'] || !seen['n'] || !seen['u'] {
		t.Errorf("the records reach only the outcomes %v: want affected, not affected and cannot tell", seen)
	}
	if branchKeys == 0 {
		t.Error("no pip row's affected branches were judged over its release list")
	}
	var buf bytes.Buffer
	if err := writeSearchIndex(&buf, views, cfg); err != nil {
		t.Fatal(err)
	}
}

// randomPipRecords are pip advisories with random lock entries and
// ECOSYSTEM events over a few dozen PEP 440 releases, some spelled two
// ways, some not releases at all.
func randomPipRecords(cfg product.Config, r *rand.Rand, n int) []*osv.Record {
	releases := []string{"0", "1.0", "1.0.0", "1.1", "1.1rc1", "2.0b2", "9.0.1", "10.0", "10.0.0b1", "19.3", "20.0",
		"20.0.1", "21.1.2", "22.3", "22.3.1", "23.0", "23.1", "23.2", "23.2.1", "23.3", "24.0", "24.1", "1.0.post1", "not-a-version"}
	pick := func() string { return releases[r.IntN(len(releases))] }
	recs := make([]*osv.Record, 0, n)
	for i := range n {
		a := &advisory.Advisory{
			ID: fmt.Sprintf("PSF-2030-%d", i+1), Product: "pip", Published: "2030-01-01T00:00:00Z",
			Title: "Random advisory", Severity: "low", Description: "Random.", Introduced: "0",
			Branches: []advisory.Branch{{Branch: "main", Fixed: sha('9')}},
		}
		var res *lock.Entry
		if r.IntN(4) > 0 {
			res = &lock.Entry{Branches: []lock.BranchResult{{Branch: "main", Status: []string{"fixed", "unfixed", "not-affected"}[r.IntN(3)],
				FirstAffected: pick(), LastAffected: pick(), FixedIn: pick(), FixCommit: sha('9')}}}
			for range r.IntN(8) {
				res.Versions = append(res.Versions, pick())
			}
		}
		rec := record(cfg, a, res, a.Published)
		if r.IntN(2) == 0 { // a known release list: the index rows judge over it
			rec.Summary.Releases = releases[1 : len(releases)-1]
			rec.Summary.SawAll = r.IntN(2) == 0
		}
		var evs []osv.Event
		for range r.IntN(5) {
			switch r.IntN(3) {
			case 0:
				evs = append(evs, osv.Event{Introduced: pick()})
			case 1:
				evs = append(evs, osv.Event{Fixed: pick()})
			default:
				evs = append(evs, osv.Event{LastAffected: pick()})
			}
		}
		rec.Vuln.Affected = []osv.Affected{{
			Package: &osv.Package{Ecosystem: "PyPI", Name: "pip", PURL: "pkg:pypi/pip"},
			Ranges:  []osv.Range{{Type: "ECOSYSTEM", Events: evs}},
		}}
		recs = append(recs, rec)
	}
	return recs
}
