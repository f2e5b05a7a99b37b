package lock

import (
	"bufio"
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"slices"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/packed"
	"github.com/psf/advisory-builder/internal/product"
)

// Packed is a lock as a build holds it while every advisory streams
// through: the lock's own fields, and its entries encoded in byte arenas
// without pointers (every distinct string stored once), so that holding a
// large lock costs the garbage collector nothing to scan. Entry decodes
// one entry when its advisory needs it. Read-only once read; safe for
// concurrent use.
type Packed struct {
	// Product, Repo, Tags and TagsDigest are the lock's fields (Lock).
	Product    string
	Repo       string
	Tags       int
	TagsDigest string
	strs       *packed.Strings // every string of the entries, and the IDs
	index      []packedEntry   // sorted by ID
	data       *packed.Arena   // the encoded entries
}

// packedEntry places one entry: its ID (a string number), its encoding (a
// record number in data), and its input digest, compared for every
// advisory.
type packedEntry struct {
	id, rec uint32
	input   [32]byte
}

// ReadPacked reads and checks (Check) the lock of product p, keeping it
// packed. A missing lock is an empty lock. Its errors are Read's and
// Check's, the same text for the same lock: the problem Check reports
// first (in the lock's fields, else in the entry with the lowest ID).
func ReadPacked(root string, p *product.Product) (*Packed, error) {
	path := Path(root, p.Name)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Packed{Product: p.Name, strs: new(packed.Strings), data: new(packed.Arena)}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pk := newPacker(p)
	var l Lock
	if err := decodeEach(bufio.NewReaderSize(f, 64<<10), &l, pk.add); err != nil {
		return nil, readError(path, p.Name, err)
	}
	pk.check.header(&l)
	if err := pk.check.result(root); err != nil {
		return nil, err
	}
	if msg := pk.firstProblem(); msg != "" {
		pk.check.err = msg
		return nil, pk.check.result(root)
	}
	return pk.finish(&l), nil
}

// packer encodes a lock's entries as they are read, checking each.
type packer struct {
	check *checker
	// problems holds the first problem of each ID whose entry has one (of
	// its last entry, when an ID is listed twice, as a map keeps it).
	problems map[string]string
	strs     packed.Interner
	index    []packedEntry
	data     packed.Arena
	scratch  []byte // one entry being encoded
}

func newPacker(p *product.Product) *packer {
	return &packer{check: newChecker(p), problems: map[string]string{}}
}

// add checks and encodes one entry.
func (pk *packer) add(id string, e *Entry) error {
	if pk.check == nil {
		pk.keep(id, e)
		return nil
	}
	if msg := pk.check.problemOf(id, e); msg != "" {
		pk.problems[id] = msg
	} else if _, had := pk.problems[id]; had {
		delete(pk.problems, id) // listed again, and sound this time
	}
	if int64(pk.data.Len()) >= 1<<32-1 {
		return fmt.Errorf("advisories.%s: the lock has too many entries to hold", id)
	}
	pk.keep(id, e)
	return nil
}

// firstProblem is the problem Check reports first among the entries: that
// of the lowest ID ("" when none has one).
func (pk *packer) firstProblem() string {
	first := ""
	for id := range pk.problems {
		if first == "" || id < first {
			first = id
		}
	}
	return pk.problems[first]
}

// keep encodes one entry. An input digest that is not 64 hex digits (only
// in a lock Pack was given unchecked) is kept as zeros.
func (pk *packer) keep(id string, e *Entry) {
	var in [32]byte
	if len(e.InputDigest) == 2*len(in) {
		if _, err := hex.Decode(in[:], []byte(e.InputDigest)); err != nil {
			in = [32]byte{}
		}
	}
	pk.scratch = pk.encode(pk.scratch[:0], e)
	pk.index = append(pk.index, packedEntry{id: pk.strs.Add(id), rec: pk.data.Add(pk.scratch), input: in})
}

// Pack is l packed, unchecked (for tests and callers that hold a Lock).
func Pack(l *Lock) *Packed {
	pk := &packer{}
	for _, id := range sortedIDs(l) {
		if e := l.Advisories[id]; e != nil {
			pk.keep(id, e)
		}
	}
	return pk.finish(l)
}

// finish sorts the index by ID, an ID listed twice keeping its last entry
// (as a map would).
func (pk *packer) finish(l *Lock) *Packed {
	strs := new(packed.Strings)
	*strs = *pk.strs.Done()
	idx := pk.index
	slices.SortStableFunc(idx, func(a, b packedEntry) int { return cmp.Compare(strs.At(a.id), strs.At(b.id)) })
	out := idx[:0]
	for i, e := range idx {
		if i+1 < len(idx) && strs.At(idx[i+1].id) == strs.At(e.id) {
			continue
		}
		out = append(out, e)
	}
	data := pk.data // a copy: the Packed keeps nothing else of the packer
	return &Packed{Product: l.Product, Repo: l.Repo, Tags: l.Tags, TagsDigest: l.TagsDigest,
		strs: strs, index: slices.Clip(out), data: &data}
}

// encode appends an entry: each list as its length plus one (0: nil), each
// string as its number.
func (pk *packer) encode(b []byte, e *Entry) []byte {
	str := func(s string) { b = packed.AppendUint(b, uint64(pk.strs.Intern(s))) }
	count := func(n int, isNil bool) {
		if isNil {
			b = packed.AppendUint(b, 0)
		} else {
			b = packed.AppendUint(b, uint64(n)+1)
		}
	}
	count(len(e.Fixed), e.Fixed == nil)
	for _, f := range e.Fixed {
		str(f.Commit)
		str(f.Branch)
		str(f.Source)
		str(f.Tag)
	}
	count(len(e.Versions), e.Versions == nil)
	for _, v := range e.Versions {
		str(v)
	}
	count(len(e.Branches), e.Branches == nil)
	for _, r := range e.Branches {
		str(r.Branch)
		str(r.Status)
		str(r.FirstAffected)
		str(r.LastAffected)
		str(r.FixedIn)
		str(r.FixCommit)
	}
	str(e.Changed)
	count(len(e.Warnings), e.Warnings == nil)
	for _, w := range e.Warnings {
		str(w)
	}
	return b
}

// find is the position of id in the index, or -1.
func (p *Packed) find(id string) int {
	i, ok := slices.BinarySearchFunc(p.index, id, func(e packedEntry, id string) int { return cmp.Compare(p.strs.At(e.id), id) })
	if !ok {
		return -1
	}
	return i
}

// Has reports whether the lock has an entry for id.
func (p *Packed) Has(id string) bool { return p != nil && p.find(id) >= 0 }

// Len is the number of entries.
func (p *Packed) Len() int { return len(p.index) }

// IDs are the IDs of the entries, sorted.
func (p *Packed) IDs() []string {
	ids := make([]string, len(p.index))
	for i, e := range p.index {
		ids[i] = p.strs.At(e.id)
	}
	return ids
}

// Current reports whether the lock holds a current entry for a: one
// whose input digest matches its range (Resolved).
func (p *Packed) Current(a *advisory.Advisory) bool {
	if p == nil {
		return false
	}
	i := p.find(a.ID)
	if i < 0 {
		return false
	}
	var want [32]byte
	n, err := hex.Decode(want[:], []byte(InputDigest(a)))
	return err == nil && n == 32 && want == p.index[i].input
}

// Entry decodes the entry of id (nil when the lock has none): a new
// Entry each call, whose strings point into the lock's arena.
func (p *Packed) Entry(id string) *Entry {
	if p == nil {
		return nil
	}
	i := p.find(id)
	if i < 0 {
		return nil
	}
	return p.decode(p.index[i])
}

// All decodes every entry in turn, in ID order (a new Entry each).
func (p *Packed) All() iter.Seq2[string, *Entry] {
	return func(yield func(string, *Entry) bool) {
		if p == nil {
			return
		}
		for _, pe := range p.index {
			if !yield(p.strs.At(pe.id), p.decode(pe)) {
				return
			}
		}
	}
}

// ContentDigest is Entry(id).ContentDigest(), "" when the lock has no
// entry for id.
func (p *Packed) ContentDigest(id string) string {
	e := p.Entry(id)
	if e == nil {
		return ""
	}
	return e.ContentDigest()
}

func (p *Packed) decode(pe packedEntry) *Entry {
	r := packed.NewReader(p.data.At(pe.rec))
	str := func() string { return p.strs.At(r.Uint32()) }
	e := &Entry{InputDigest: hex.EncodeToString(pe.input[:])}
	if n, ok := listLen(r); ok {
		e.Fixed = make([]Fix, n)
		for i := range e.Fixed {
			e.Fixed[i] = Fix{Commit: str(), Branch: str(), Source: str(), Tag: str()}
		}
	}
	if n, ok := listLen(r); ok {
		e.Versions = make([]string, n)
		for i := range e.Versions {
			e.Versions[i] = str()
		}
	}
	if n, ok := listLen(r); ok {
		e.Branches = make([]BranchResult, n)
		for i := range e.Branches {
			e.Branches[i] = BranchResult{Branch: str(), Status: str(), FirstAffected: str(), LastAffected: str(), FixedIn: str(), FixCommit: str()}
		}
	}
	e.Changed = str()
	if n, ok := listLen(r); ok {
		e.Warnings = make([]string, n)
		for i := range e.Warnings {
			e.Warnings[i] = str()
		}
	}
	return e
}

// listLen reads a list's length as encode wrote it; ok is false for nil.
func listLen(r *packed.Reader) (n int, ok bool) {
	v := r.Len()
	if v == 0 {
		return 0, false
	}
	return v - 1, true
}

// ResolvedPacked is Resolved over packed locks.
func ResolvedPacked(locks map[string]*Packed) func(*advisory.Advisory) bool {
	return func(a *advisory.Advisory) bool { return locks[a.Product].Current(a) }
}
