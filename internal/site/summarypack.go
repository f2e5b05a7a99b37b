package site

import (
	"fmt"
	"hash/maphash"
	"unsafe"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/packed"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// summaries are the summaries a Writer keeps until Close, packed: each
// encoded into one byte arena without pointers, so that holding 100,000
// of them costs the garbage collector nothing to scan. The strings a
// database repeats (tags, branches, statuses, severities, dates) are
// stored once; the products and release lists they share are kept once
// each, by identity. Close unpacks them all at once.
type summaries struct {
	data    packed.Arena // summary i is record i+1
	scratch []byte       // one summary being encoded
	words   packed.Interner
	prods   []*product.Product // the products summaries name, by identity
	lists   [][]string         // the release lists they share, by identity
	byHash  map[uint64]uint32  // an ID's hash -> the number (index+1) of a summary with it
	seed    maphash.Seed
}

func newSummaries() *summaries {
	return &summaries{byHash: map[uint64]uint32{}, seed: maphash.MakeSeed()}
}

// len is the number of summaries kept.
func (ss *summaries) len() int { return ss.data.Len() }

// has reports whether a summary with ID id is kept.
func (ss *summaries) has(id string) bool {
	n, ok := ss.byHash[maphash.String(ss.seed, id)]
	if !ok {
		return false
	}
	if ss.idOf(int(n-1)) == id {
		return true
	}
	for i := range ss.len() { // two IDs with one 64-bit hash: look at every one
		if ss.idOf(i) == id {
			return true
		}
	}
	return false
}

// idOf is the ID of summary i (encoded first).
func (ss *summaries) idOf(i int) string {
	return packed.NewReader(ss.bytesOf(i)).String()
}

func (ss *summaries) bytesOf(i int) []byte { return ss.data.At(uint32(i + 1)) }

// add packs s (without its record, and without its Markdown source,
// which the feed keeps for the summaries it shows).
func (ss *summaries) add(s *advSummary) error {
	if int64(ss.len()) >= 1<<32-2 {
		return fmt.Errorf("site: too many summaries")
	}
	h := maphash.String(ss.seed, s.ID)
	if _, taken := ss.byHash[h]; !taken {
		ss.byHash[h] = uint32(ss.len() + 1)
	}
	ss.scratch = ss.encode(ss.scratch[:0], s)
	ss.data.Add(ss.scratch)
	return nil
}

// encode appends a summary: unique text inline, repeated text by number,
// each list as its length plus one (0: nil), products and release lists
// by their number in the tables.
func (ss *summaries) encode(b []byte, s *advSummary) []byte {
	text := func(v string) { b = packed.AppendString(b, v) }
	word := func(v string) { b = packed.AppendUint(b, uint64(ss.words.Intern(v))) }
	count := func(n int, isNil bool) {
		if isNil {
			b = packed.AppendUint(b, 0)
		} else {
			b = packed.AppendUint(b, uint64(n)+1)
		}
	}
	texts := func(l []string) {
		count(len(l), l == nil)
		for _, v := range l {
			text(v)
		}
	}
	words := func(l []string) {
		count(len(l), l == nil)
		for _, v := range l {
			word(v)
		}
	}
	text(s.ID)
	text(s.Title)
	word(s.Severity)
	text(s.Published)
	text(s.Modified)
	text(s.Withdrawn)
	texts(s.Components)
	texts(s.aliases)
	word(s.platforms)
	b = packed.AppendUint(b, uint64(ss.productNumber(s.own)))
	b = packed.AppendUint(b, uint64(ss.productNumber(s.prod)))
	v := s.versions
	word(string(v.Source))
	count(len(v.Branches), v.Branches == nil)
	for _, r := range v.Branches {
		word(r.Branch)
		word(r.Status)
		word(r.FirstAffected)
		word(r.LastAffected)
		word(r.FixedIn)
		text(r.FixCommit)
	}
	words(v.Versions)
	b = packed.AppendUint(b, uint64(ss.listNumber(v.Releases)))
	b = packed.AppendBool(b, v.FromRoot)
	b = packed.AppendBool(b, v.Reaches)
	b = packed.AppendBool(b, v.SawAll)
	count(len(s.evs), s.evs == nil)
	for _, e := range s.evs {
		word(e.Introduced)
		word(e.Fixed)
		word(e.LastAffected)
	}
	count(len(s.ecoEvents), s.ecoEvents == nil)
	for _, evs := range s.ecoEvents {
		count(len(evs), evs == nil)
		for _, e := range evs {
			word(e[0])
			word(e[1])
		}
	}
	return b
}

// productNumber is p's number in the table (0: nil), added on first use.
func (ss *summaries) productNumber(p *product.Product) int {
	if p == nil {
		return 0
	}
	for i, q := range ss.prods {
		if q == p {
			return i + 1
		}
	}
	ss.prods = append(ss.prods, p)
	return len(ss.prods)
}

// listNumber is the number of a release list (0: nil), by identity: the
// summaries of a product share its one list. An empty list that is not
// nil is number 1.
func (ss *summaries) listNumber(l []string) int {
	if l == nil {
		return 0
	}
	if len(ss.lists) == 0 {
		ss.lists = append(ss.lists, []string{})
	}
	if len(l) == 0 {
		return 1
	}
	for i, q := range ss.lists {
		if len(q) == len(l) && unsafe.SliceData(q) == unsafe.SliceData(l) {
			return i + 1
		}
	}
	ss.lists = append(ss.lists, l)
	return len(ss.lists)
}

// unpack decodes every summary, in the order they were added.
func (ss *summaries) unpack(orders *productOrders) ([]*advSummary, error) {
	out := make([]*advSummary, ss.len())
	for i := range out {
		s, err := ss.decode(ss.bytesOf(i), orders)
		if err != nil {
			return nil, fmt.Errorf("site: summary %d: %w", i, err)
		}
		out[i] = s
	}
	return out, nil
}

func (ss *summaries) decode(data []byte, orders *productOrders) (*advSummary, error) {
	r := packed.NewReader(data)
	text := r.String
	word := func() string { return ss.words.At(r.Uint32()) }
	count := func() (int, bool) {
		n := r.Len()
		return n - 1, n > 0
	}
	texts := func() []string {
		n, ok := count()
		if !ok {
			return nil
		}
		l := make([]string, n)
		for i := range l {
			l[i] = text()
		}
		return l
	}
	words := func() []string {
		n, ok := count()
		if !ok {
			return nil
		}
		l := make([]string, n)
		for i := range l {
			l[i] = word()
		}
		return l
	}
	product := func() *product.Product {
		n := r.Uint()
		if n == 0 || n > uint64(len(ss.prods)) {
			return nil
		}
		return ss.prods[n-1]
	}
	s := &advSummary{ID: text(), Title: text(), Severity: word(), Published: text(), Modified: text(), Withdrawn: text()}
	s.Components, s.aliases, s.platforms = texts(), texts(), word()
	s.own, s.prod = product(), product()
	v := &s.versions
	v.Source = verdict.Source(word())
	if n, ok := count(); ok {
		v.Branches = make([]lock.BranchResult, n)
		for i := range v.Branches {
			v.Branches[i] = lock.BranchResult{Branch: word(), Status: word(), FirstAffected: word(), LastAffected: word(), FixedIn: word(), FixCommit: text()}
		}
	}
	v.Versions = words()
	if n := r.Uint(); n > 0 && n <= uint64(len(ss.lists)) {
		v.Releases = ss.lists[n-1]
	}
	v.FromRoot, v.Reaches, v.SawAll = r.Bool(), r.Bool(), r.Bool()
	if n, ok := count(); ok {
		s.evs = make([]verdict.Event, n)
		for i := range s.evs {
			s.evs[i] = verdict.Event{Introduced: word(), Fixed: word(), LastAffected: word()}
		}
	}
	if n, ok := count(); ok {
		s.ecoEvents = make([][][2]string, n)
		for i := range s.ecoEvents {
			if m, ok := count(); ok {
				s.ecoEvents[i] = make([][2]string, m)
				for j := range s.ecoEvents[i] {
					s.ecoEvents[i][j] = [2]string{word(), word()}
				}
			}
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if s.prod == nil {
		return nil, fmt.Errorf("%s: no product", s.ID)
	}
	s.derive(orders)
	return s, nil
}
