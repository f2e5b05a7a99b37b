package version

import (
	"slices"
	"sync"
	"testing"
)

// parsedSamples mixes tags, PEP 440 versions and text that is neither.
var parsedSamples = []string{
	"v3.12.6", "3.12.6", "v2.7", "2.7.0", "v2.5c1", "2.5rc1", "v3.13.0rc1", "3.13.0a2", "v3.14.0b1",
	"23.3", "10.0.0b1", "1.0-1", "1.0.post1", "2!1.0.dev3+local.7", "1.0+Ubuntu-1", "0.2", "v23.3",
	"", "0", " 1.0", "main", "v3", "3.12.6.1", "1.0ALPHA",
}

// TestParsedAgrees holds Parsed to the scheme's own answers: the same
// canonical spellings, comparisons, errors and sort order.
func TestParsedAgrees(t *testing.T) {
	for _, s := range []Scheme{SchemeTags, SchemePEP440} {
		p := s.Parsed()
		for range 2 { // the second round answers from the cache
			for _, a := range parsedSamples {
				assertParsedAgrees(t, s, p, a)
			}
		}
		want, got := slices.Clone(parsedSamples), slices.Clone(parsedSamples)
		s.Sort(want) // Scheme.Sort is Parsed.Sort: compare with a sort by the scheme's own Compare
		slices.SortStableFunc(got, func(a, b string) int { return schemeOrder(s, a, b) })
		if !slices.Equal(want, got) {
			t.Errorf("%v: Sort = %q, want %q", s, want, got)
		}
	}
}

func assertParsedAgrees(t *testing.T, s Scheme, p *Parsed, a string) {
	t.Helper()
	wc, werr := s.Canonical(a)
	gc, gerr := p.Canonical(a)
	if wc != gc || (werr == nil) != (gerr == nil) {
		t.Errorf("%v: Canonical(%q) = %q, %v; the scheme says %q, %v", s, a, gc, gerr, wc, werr)
	}
	for _, b := range parsedSamples {
		w, werr := s.Compare(a, b)
		g, gerr := p.Compare(a, b)
		if w != g || (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
			t.Errorf("%v: Compare(%q, %q) = %d, %v; the scheme says %d, %v", s, a, b, g, gerr, w, werr)
		}
	}
}

// schemeOrder is Sort's order written with the scheme's uncached calls.
func schemeOrder(s Scheme, a, b string) int {
	_, errA := s.Canonical(a)
	_, errB := s.Canonical(b)
	switch {
	case errA != nil && errB != nil:
		return compareText(a, b)
	case errA != nil:
		return -1
	case errB != nil:
		return 1
	}
	c, _ := s.Compare(a, b)
	return c
}

// FuzzParsedAgrees: for any two versions, the cache answers as the scheme.
func FuzzParsedAgrees(f *testing.F) {
	for i, a := range parsedSamples {
		f.Add(a, parsedSamples[(i+3)%len(parsedSamples)])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, s := range []Scheme{SchemeTags, SchemePEP440} {
			p := s.Parsed()
			for range 2 {
				w, werr := s.Compare(a, b)
				g, gerr := p.Compare(a, b)
				if w != g || (werr == nil) != (gerr == nil) {
					t.Fatalf("%v: Compare(%q, %q) = %d, %v; the scheme says %d, %v", s, a, b, g, gerr, w, werr)
				}
			}
		}
	})
}

// TestParsedConcurrent compares the same cached versions from several
// goroutines at once (run with -race: the PEP 440 library pads a version
// in place as it compares, so Parsed serialises those comparisons) and
// checks every answer against the scheme's uncached one.
func TestParsedConcurrent(t *testing.T) {
	for _, s := range []Scheme{SchemeTags, SchemePEP440} {
		p := s.Parsed()
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range 200 {
					a := parsedSamples[(i+g)%len(parsedSamples)]
					b := parsedSamples[(i*7+g)%len(parsedSamples)]
					got, gerr := p.Compare(a, b)
					want, werr := s.Compare(a, b)
					if got != want || (gerr == nil) != (werr == nil) {
						t.Errorf("%v: Compare(%q, %q) = %d, %v concurrently; the scheme says %d, %v", s, a, b, got, gerr, want, werr)
					}
				}
			})
		}
		wg.Wait()
	}
}
