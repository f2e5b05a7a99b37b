package site

import (
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// The stream-CPU work (docs/benchmarks.md, "Stream CPU"): each quick path
// beside the way it replaced, in the same run.
//
//	go test ./internal/site -run '^$' -bench 'SearchVerdicts|MarkdownPlain|IndexItems' -benchmem

// BenchmarkSearchVerdicts judges 1,000 generated advisories (two CPython
// for each pip one, the pip ones shaped as gendb makes them) against every
// release of their product, through the memoOrders and through the
// products' orders.
func BenchmarkSearchVerdicts(b *testing.B) {
	cfg := fixtureConfig()
	recs := append(generateRecords(cfg, 667), gendbPipRecords(cfg, 333)...)
	views, err := buildSummaries(recs, cfg)
	if err != nil {
		b.Fatal(err)
	}
	products := searchProducts(views, cfg)
	for _, way := range []struct {
		name string
		memo bool
	}{{"order", false}, {"memo", true}} {
		b.Run(way.name, func(b *testing.B) {
			for b.Loop() {
				orders := newJudgeOrders(views, products) // made per index, as Writer.Close does
				if !way.memo {
					orders = nil
				}
				for _, v := range views {
					verdicts(v, products[v.Product], orders)
				}
			}
		})
	}
}

// gendbPipRecords are pip advisories as gendb writes them: seven affected
// releases, fixed in 23.3 on main, ECOSYSTEM events from 0 to 23.3.
func gendbPipRecords(cfg product.Config, n int) []*osv.Record {
	var recs []*osv.Record
	for i := range n {
		a := &advisory.Advisory{
			ID: "PSF-2031-" + itoa(i+1), Product: "pip", Published: "2031-01-01T00:00:00Z", Title: "Generated",
			Severity: "low", Description: "Generated.", Introduced: "0", Branches: []advisory.Branch{{Branch: "main", Fixed: sha('9')}},
		}
		res := &lock.Entry{
			Versions: []string{"22.0", "22.1", "22.2", "22.3", "23.0", "23.1", "23.2"},
			Branches: []lock.BranchResult{{Branch: "main", Status: "fixed", FirstAffected: "22.0", LastAffected: "23.2", FixedIn: "23.3", FixCommit: sha('9')}},
		}
		rec := record(cfg, a, res, a.Published)
		rec.Vuln.Affected = []osv.Affected{{
			Package: &osv.Package{Ecosystem: "PyPI", Name: "pip", PURL: "pkg:pypi/pip"},
			Ranges:  []osv.Range{{Type: "ECOSYSTEM", Events: []osv.Event{{Introduced: "0"}, {Fixed: "23.3"}}}},
		}}
		recs = append(recs, rec)
	}
	return recs
}

// BenchmarkMarkdownPlain renders the generated description (plain
// paragraphs) through the quick path and through goldmark and bluemonday.
func BenchmarkMarkdownPlain(b *testing.B) {
	src := "Parsing a crafted input takes time quadratic in its length, so a\n" +
		"small request can keep a process busy for a long time.\n\nUpgrade to a fixed release.\n"
	src = strings.Repeat(src, 4) // about 0.6 KB
	if _, ok := plainParagraphs(src); !ok {
		b.Fatal("the description does not take the quick path")
	}
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			renderMarkdownFull(src)
		}
	})
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			renderMarkdown(src)
		}
	})
}

// BenchmarkIndexItems writes the items of one index page (50 generated
// advisories) with the template range they had and with writeIndexItem.
func BenchmarkIndexItems(b *testing.B) {
	cfg := fixtureConfig()
	sums, err := buildSummaries(generateRecords(cfg, DefaultPageSize), cfg)
	if err != nil {
		b.Fatal(err)
	}
	var rows []indexRow
	for _, s := range sums {
		rows = append(rows, newIndexRow(s, nil))
	}
	b.Run("template", func(b *testing.B) {
		for b.Loop() {
			templateIndexItems(b, rows)
		}
	})
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			goIndexItems(rows)
		}
	})
}
