package site

import (
	"fmt"
	"os"
	"slices"
	"testing"
)

// FuzzFeedRanks: whatever order summaries come in, feedRanks keeps exactly
// the n newest (as the feed sorts them), newest first, with their Markdown
// sources, and every other summary has let its source go.
// Run: go test ./internal/site -run '^$' -fuzz FuzzFeedRanks -fuzztime 30s
func FuzzFeedRanks(f *testing.F) {
	f.Add([]byte{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}, uint8(3))
	f.Add([]byte{0, 0, 0, 0}, uint8(2))
	f.Add([]byte{}, uint8(1))
	f.Fuzz(func(t *testing.T, days []byte, n8 uint8) {
		n := int(n8%8) + 1
		var all, feed []*advSummary
		for i, d := range days {
			s := &advSummary{ID: fmt.Sprintf("PSF-2024-%d", i), Published: fmt.Sprintf("2024-01-%02dT00:00:00Z", d%28+1)}
			s.description = "about " + s.ID
			all = append(all, s)
			feed = feedRanks(feed, s, n)
		}
		want := slices.Clone(all)
		sortNewestFirst(want)
		want = want[:min(n, len(want))]
		if !slices.Equal(feed, want) {
			t.Fatalf("kept %v, want %v", ids(feed), ids(want))
		}
		for _, s := range all {
			if kept := slices.Contains(want, s); kept != (s.description != "") {
				t.Errorf("%s: among the newest %v, source kept %v", s.ID, kept, s.description != "")
			}
		}
	})
}

func ids(sums []*advSummary) []string {
	var out []string
	for _, s := range sums {
		out = append(out, s.ID+"@"+s.Published)
	}
	return out
}

// TestPageReleasesTheRecord: once its page is written, an advisory's
// summary holds no pointer to its record, so the record can be freed while
// the summary waits for the index.
func TestPageReleasesTheRecord(t *testing.T) {
	cfg := fixtureConfig()
	recs := fixtureRecords(cfg)
	root, err := os.OpenRoot(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	w, err := NewWriter(root, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, r := range recs {
		e, err := w.Page(r)
		if err != nil {
			t.Fatal(err)
		}
		if e.s.rec != nil {
			t.Errorf("%s: the summary still holds the record", e.s.ID)
		}
	}
}
