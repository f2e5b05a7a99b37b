package build

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/gitpack"
	"github.com/psf/advisory-builder/internal/lock"
)

// piecesLock is a canonical lock of n entries, their content varied by
// seed (so two seeds differ in some entries and agree in others).
func piecesLock(t testing.TB, n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 5))
	l := &lock.Lock{Product: "python", Repo: "https://github.com/python/cpython", Advisories: map[string]*lock.Entry{}}
	for i := range n {
		e := &lock.Entry{InputDigest: fmt.Sprintf("d%d", i), Changed: fmt.Sprintf("2025-01-%02dT00:00:00Z", 1+rng.IntN(28))}
		for k := range 1 + (i+rng.IntN(2))%4 {
			e.Versions = append(e.Versions, fmt.Sprintf("v3.12.%d", k))
		}
		if rng.IntN(3) == 0 {
			e.Warnings = []string{"branch 3.8 }\n    } is unfixed"}
		}
		l.Advisories[fmt.Sprintf("PSF-2024-%d", i+1)] = e
	}
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// cutBoth cuts a version given as pieces of the indexed root through
// pieceSource, and its bytes through streamEntries, and fails unless both
// hand over the same entries and answer alike; every entry taken whole is
// the bytes it stands for, with their summary. It returns how many were
// taken whole.
func cutBoth(t *testing.T, name string, ix *rootIndex, c *gitpack.Content) (whole int) {
	t.Helper()
	data := c.Bytes()
	want, wantOK := streamAll(t, bytes.NewReader(data))
	var got []streamedEntry
	src := &pieceSource{segs: ix.segments(c, nil)}
	ok, err := cutEntries(src, func(e cutEntry) {
		got = append(got, streamedEntry{e.id, string(e.raw)})
		if e.from == nil {
			return
		}
		whole++
		if string(e.from.raw) != string(data[e.at:e.at+len(e.raw)]) || e.from.sum != summarize(e.raw) {
			t.Fatalf("%s: entry %s taken whole is not the bytes at %d", name, e.id, e.at)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if ok != wantOK || (ok && !slices.Equal(got, want)) {
		t.Fatalf("%s: pieces: %v, %d entries; bytes: %v, %d entries\n%s", name, ok, len(got), wantOK, len(want), data)
	}
	return whole
}

// piece is a part of a hand-made version: a range of the root, or text.
type piece struct {
	off, end int
	text     string
	apart    bool // not joined to a range of the root just before
}

// content is a version made of pieces of root.
func content(root []byte, pieces ...piece) *gitpack.Content {
	c := gitpack.NewContent(&gitpack.Root{Bytes: root})
	for _, p := range pieces {
		switch {
		case p.text != "":
			c.Pieces = append(c.Pieces, c.Literal([]byte(p.text)))
			c.Size += len(p.text)
		case p.apart:
			c.Pieces = append(c.Pieces, gitpack.Piece{Off: p.off, Len: p.end - p.off})
			c.Size += p.end - p.off
		default:
			c.AppendRoot(p.off, p.end-p.off)
		}
	}
	return c
}

// TestPieceCutCases: hand-made versions over a canonical root: copies
// that cover entries whole or stop short of a closing brace, start
// inside a key line, entries changed, added, removed, reordered,
// duplicated, the header changed, the version cut short.
func TestPieceCutCases(t *testing.T) {
	root := piecesLock(t, 6, 1)
	other := piecesLock(t, 6, 2)
	ix := indexRoot(root)
	if len(ix.entries) != 6 {
		t.Fatalf("root cut into %d entries, want 6", len(ix.entries))
	}
	cp := func(a, b int) piece { return piece{off: a, end: b} }
	lit := func(s string) piece { return piece{text: s} }
	e := ix.entries
	closed := func(k int) int { return e[k].start + len(e[k].raw) + len(entryClose) }
	n := len(root)
	otherEntry := func(k int) string {
		ox := indexRoot(other)
		return string(other[ox.entries[k].start : ox.entries[k].start+len(ox.entries[k].raw)+len(entryClose)])
	}
	for _, tc := range []struct {
		name   string
		pieces []piece
		whole  int // entries taken whole (before the cut fails, if it does)
	}{
		{"the root", []piece{cp(0, n)}, 6},
		{"split inside an entry, joined", []piece{cp(0, e[2].start+5), cp(e[2].start+5, n)}, 6},
		{"split inside an entry, apart", []piece{cp(0, e[2].start+5), {off: e[2].start + 5, end: n, apart: true}}, 5},
		{"copy stops before a closing brace", []piece{cp(0, closed(1)-1), lit("}"), cp(closed(1), n)}, 5},
		{"copy starts inside a key line", []piece{cp(0, e[3].start+2), lit("  "), cp(e[3].start+4, n)}, 5},
		{"an entry changed", []piece{cp(0, e[2].start), lit(otherEntry(2)), cp(closed(2), n)}, 5},
		{"an entry removed", []piece{cp(0, e[2].start), cp(e[3].start, n)}, 5},
		{"an entry added twice", []piece{cp(0, closed(2)), lit(",\n"), cp(e[2].start, n)}, 3},
		{"two entries swapped", []piece{cp(0, e[1].start), cp(e[2].start, closed(2)), lit(",\n"), cp(e[1].start, closed(1)), cp(closed(2), n)}, 2},
		{"header changed", []piece{lit("{\n  \"product\": \"pip\",\n"), cp(bytes.Index(root, []byte("\n  \"repo\""))+1, n)}, 6},
		{"header broken", []piece{lit("{\n  \"product\": pip,\n"), cp(bytes.Index(root, []byte("\n  \"repo\""))+1, n)}, 0},
		{"cut short inside an entry", []piece{cp(0, e[4].start+10)}, 4},
		{"cut short after an entry", []piece{cp(0, closed(3))}, 4},
		{"no separator between entries", []piece{cp(0, closed(1)), cp(e[3].start, n)}, 2},
		{"inserted text straddles a boundary", []piece{cp(0, closed(1)-2), lit("  },\n    \"PSF-2024-2a\": {\n      \"x\": 1\n    "), cp(closed(1)-1, n)}, 5},
		{"an entry's closing copied from elsewhere", []piece{cp(0, closed(0)-len(entryClose)), cp(closed(4)-len(entryClose), closed(4)), cp(closed(0), n)}, 5},
		{"empty", nil, 0},
	} {
		c := content(root, tc.pieces...)
		if got := cutBoth(t, tc.name, ix, c); got != tc.whole {
			t.Errorf("%s: %d entries taken whole, want %d", tc.name, got, tc.whole)
		}
	}
}

// randomVersion makes a version of root as pieces: it walks the root,
// copying runs (cut at entry boundaries or anywhere, joined as gitpack
// joins them, or not), skipping some, jumping back or ahead (reorders,
// duplicates), inserting text (other entries, separators, the lock's
// end, fragments), and may stop early.
func randomVersion(rng *rand.Rand, root []byte, ix *rootIndex, inserts [][]byte) *gitpack.Content {
	var cuts []int
	for _, e := range ix.entries {
		cuts = append(cuts, e.start, e.start+len(e.raw), e.start+len(e.raw)+len(entryClose))
	}
	cuts = append(cuts, 0, len(root))
	point := func() int {
		if rng.IntN(3) == 0 || len(cuts) == 0 {
			return rng.IntN(len(root) + 1)
		}
		return min(len(root), max(0, cuts[rng.IntN(len(cuts))]+rng.IntN(3)-1))
	}
	join := rng.IntN(4) != 0
	c := gitpack.NewContent(&gitpack.Root{Bytes: root})
	add := func(p gitpack.Piece) {
		switch {
		case p.Len == 0:
		case p.Src == 0 && join:
			c.AppendRoot(p.Off, p.Len)
		default: // a literal, or a range not joined to the one before
			c.Pieces = append(c.Pieces, p)
			c.Size += p.Len
		}
	}
	at := 0
	for at < len(root) && len(c.Pieces) < 40 {
		switch rng.IntN(10) {
		case 0: // skip ahead
			at = max(at, point())
		case 1: // jump anywhere: a reorder or a duplicate
			at = point()
		case 2, 3: // insert
			ins := inserts[rng.IntN(len(inserts))]
			a := rng.IntN(len(ins) + 1)
			b := a + rng.IntN(len(ins)-a+1)
			if rng.IntN(2) == 0 {
				a, b = 0, len(ins)
			}
			add(c.Literal(ins[a:b]))
		case 4:
			if rng.IntN(8) == 0 {
				return c // cut short
			}
		default: // copy up to a point ahead
			end := point()
			if end <= at {
				end = min(len(root), at+1+rng.IntN(200))
			}
			add(gitpack.Piece{Off: at, Len: end - at})
			at = end
		}
	}
	return c
}

// TestPieceCutRandom: thousands of seeded random versions over canonical
// and non-canonical roots cut the same through pieces as through their
// bytes (the fuzzing engine makes no progress past its seeds on this
// machine), and mark the same pending entries absent.
func TestPieceCutRandom(t *testing.T) {
	canonical := piecesLock(t, 12, 1)
	swapped := bytes.Replace(canonical, []byte(`"PSF-2024-3"`), []byte(`"PSF-2024-0"`), 1)
	roots := map[string][]byte{
		"canonical":    canonical,
		"out of order": swapped,
		"compact":      compactJSON(t, canonical),
		"trailing":     append(bytes.Clone(canonical), "x"...),
		"truncated":    canonical[:len(canonical)*2/3],
	}
	var inserts [][]byte
	for s := range uint64(3) {
		data := piecesLock(t, 14, 10+s)
		ix := indexRoot(data)
		for _, e := range ix.entries {
			inserts = append(inserts, data[e.start:e.start+len(e.raw)+len(entryClose)])
		}
	}
	inserts = append(inserts, []byte(",\n"), []byte("\n"), []byte("\n  }\n}\n"), []byte("    }"), []byte("\n    }"),
		[]byte(`    "PSF-2024-5": {`), []byte("{\n  \"product\": \"python\",\n  \"advisories\": {\n"), []byte("\x00garbage\""))
	heads := [][]byte{canonical, piecesLock(t, 12, 2), piecesLock(t, 10, 3)}
	whole := 0
	rng := rand.New(rand.NewPCG(22, 22))
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range roots {
			if !yield(n) {
				return
			}
		}
	})
	for _, name := range names {
		root := roots[name]
		ix := indexRoot(root)
		for i := range 1500 {
			c := randomVersion(rng, root, ix, inserts)
			label := fmt.Sprintf("%s root, version %d", name, i)
			whole += cutBoth(t, label, ix, c)
			checkAbsentAgrees(t, label, heads[i%len(heads)], ix, c)
		}
	}
	t.Logf("%d entries taken whole", whole)
	if whole < 10000 {
		t.Errorf("only %d entries taken whole: the versions test little", whole)
	}
}

// checkAbsentAgrees: against HEAD's lock head, merging a version through
// pieces (root entries compared by their summary) marks the same entries
// absent as merging its bytes.
func checkAbsentAgrees(t *testing.T, name string, head []byte, ix *rootIndex, c *gitpack.Content) {
	t.Helper()
	e := &entries{}
	split, _ := splitEntries(head)
	for id, raw := range split {
		p := pendingEntry{id: id, digest: entryDigest(raw)}
		p.setBytes(raw)
		e.pending = append(e.pending, p)
	}
	slices.SortFunc(e.pending, func(a, b pendingEntry) int { return strings.Compare(a.id, b.id) })
	wantOK, err := e.merge(bytes.NewReader(c.Bytes()), (*pendingEntry).sameBytes)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(e.absent)
	gotOK, err := e.mergeVersion(&pieceSource{segs: ix.segments(c, nil)})
	if err != nil {
		t.Fatal(err)
	}
	if gotOK != wantOK || (gotOK && !slices.Equal(e.absent, want)) {
		t.Fatalf("%s: pieces: %v %v; bytes: %v %v", name, gotOK, e.absent, wantOK, want)
	}
}
