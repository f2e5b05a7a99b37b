package version

import (
	"slices"
	"sync"

	pep440 "github.com/aquasecurity/go-pep440-version"
)

// Parsed is a scheme's order with each version parsed once: for work that
// compares the same few versions many times (judging an advisory for every
// release of a product). It orders exactly as the scheme does. Safe for
// concurrent use; it keeps every version it met, so it lives as long as
// the work that made it.
type Parsed struct {
	s Scheme
	m sync.Map // version as written -> *parsedVersion
	// pepMu serialises PEP 440 comparisons: the library pads a version's
	// release parts in place as it compares (an append into the parsed
	// value's spare capacity), so two goroutines comparing the same
	// cached version would write it at once.
	pepMu sync.Mutex
}

// parsedVersion is one version read in a scheme: its tag or PEP 440 form,
// its canonical spelling, or why it does not parse.
type parsedVersion struct {
	tag   Version
	pep   pep440.Version
	canon string
	err   error
}

// Parsed returns an empty cache of the scheme's parsed versions.
func (s Scheme) Parsed() *Parsed { return &Parsed{s: s} }

// Scheme is the scheme the versions are read in.
func (p *Parsed) Scheme() Scheme { return p.s }

func (p *Parsed) get(v string) *parsedVersion {
	if got, ok := p.m.Load(v); ok {
		return got.(*parsedVersion)
	}
	pv := &parsedVersion{}
	if p.s == SchemePEP440 {
		var pp PEP440Version
		pp, pv.err = ParsePEP440(v)
		pv.canon = pp.String()
		if pv.err == nil {
			// The same value PEP440Version.Compare reads: the canonical
			// spelling, parsed.
			pv.pep, pv.err = pep440.Parse(pv.canon)
		}
	} else {
		pv.tag, pv.err = Parse(v)
		pv.canon = pv.tag.String()
	}
	got, _ := p.m.LoadOrStore(v, pv)
	return got.(*parsedVersion)
}

// Canonical is Scheme.Canonical.
func (p *Parsed) Canonical(v string) (string, error) {
	pv := p.get(v)
	return pv.canon, pv.err
}

// Compare is Scheme.Compare.
func (p *Parsed) Compare(a, b string) (int, error) {
	pa := p.get(a)
	if pa.err != nil {
		return 0, pa.err
	}
	pb := p.get(b)
	if pb.err != nil {
		return 0, pb.err
	}
	if p.s == SchemePEP440 {
		p.pepMu.Lock()
		defer p.pepMu.Unlock()
		return pa.pep.Compare(pb.pep), nil
	}
	return pa.tag.CompareNumbers(pb.tag), nil
}

// Sort is Scheme.Sort: versions that do not parse first, by text; equal
// versions keep their order.
func (p *Parsed) Sort(vs []string) {
	slices.SortStableFunc(vs, func(a, b string) int {
		pa, pb := p.get(a), p.get(b)
		switch {
		case pa.err != nil && pb.err != nil:
			return compareText(a, b)
		case pa.err != nil:
			return -1
		case pb.err != nil:
			return 1
		}
		c, _ := p.Compare(a, b)
		return c
	})
}
