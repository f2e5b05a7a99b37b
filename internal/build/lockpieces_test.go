package build

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
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
	data := contentBytes(t, c)
	want, wantOK := streamAll(t, bytes.NewReader(data))
	var got []streamedEntry
	src := &pieceSource{c: c, ix: ix, segs: ix.segments(c, nil)}
	ok, err := cutEntries(src, func(e cutEntry) {
		if e.from == nil {
			got = append(got, streamedEntry{e.id, string(e.raw)})
			return
		}
		whole++
		raw, err := src.entryBytes(e.from)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, streamedEntry{e.id, string(raw)})
		if e.raw != nil || string(raw) != string(data[e.at:e.at+e.from.n]) || e.from.sum != summarize(raw) {
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

// contentBytes is c's bytes, failing the test when they do not read.
func contentBytes(tb testing.TB, c *gitpack.Content) []byte {
	tb.Helper()
	b, err := c.Bytes()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mustIndex indexes a root, failing the test when it does not read.
func mustIndex(tb testing.TB, r *gitpack.Root) *rootIndex {
	tb.Helper()
	ix, err := indexRoot(r)
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

// rootKinds are the two roots of the same bytes: held in memory and in a
// temporary file (closed when the test ends).
func rootKinds(tb testing.TB, data []byte) map[string]*gitpack.Root {
	tb.Helper()
	file, err := gitpack.NewFileRoot(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { file.Close() })
	return map[string]*gitpack.Root{"held": gitpack.NewRoot(data), "file": file}
}

// piece is a part of a hand-made version: a range of the root, or text.
type piece struct {
	off, end int
	text     string
	apart    bool // not joined to a range of the root just before
}

// content is a version made of pieces of root.
func content(root *gitpack.Root, pieces ...piece) *gitpack.Content {
	c := gitpack.NewContent(root)
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
	for kind, r := range rootKinds(t, root) {
		ix := mustIndex(t, r)
		if len(ix.entries) != 6 {
			t.Fatalf("%s root cut into %d entries, want 6", kind, len(ix.entries))
		}
		for _, tc := range pieceCases(root, ix, other) {
			c := content(r, tc.pieces...)
			if got := cutBoth(t, kind+": "+tc.name, ix, c); got != tc.whole {
				t.Errorf("%s: %s: %d entries taken whole, want %d", kind, tc.name, got, tc.whole)
			}
		}
	}
}

// pieceCase is a hand-made version of a root and the entries the cut
// takes whole (before it fails, if it does).
type pieceCase struct {
	name   string
	pieces []piece
	whole  int
}

// pieceCases are TestPieceCutCases' versions of root (indexed by ix);
// other is a lock whose entries differ.
func pieceCases(root []byte, ix *rootIndex, other []byte) []pieceCase {
	cp := func(a, b int) piece { return piece{off: a, end: b} }
	lit := func(s string) piece { return piece{text: s} }
	e := ix.entries
	closed := func(k int) int { return e[k].closed() }
	n := len(root)
	otherEntry := func(k int) string {
		ox, _ := indexRoot(gitpack.NewRoot(other))
		return string(other[ox.entries[k].start:ox.entries[k].closed()])
	}
	return []pieceCase{
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
		cuts = append(cuts, e.start, e.start+e.n, e.closed())
	}
	cuts = append(cuts, 0, len(root))
	point := func() int {
		if rng.IntN(3) == 0 || len(cuts) == 0 {
			return rng.IntN(len(root) + 1)
		}
		return min(len(root), max(0, cuts[rng.IntN(len(cuts))]+rng.IntN(3)-1))
	}
	join := rng.IntN(4) != 0
	c := gitpack.NewContent(ix.root)
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
// machine), and mark the same pending entries absent; each version is
// cut over the root held in memory and over the same root in a file.
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
		ix := mustIndex(t, gitpack.NewRoot(data))
		for _, e := range ix.entries {
			inserts = append(inserts, data[e.start:e.closed()])
		}
	}
	inserts = append(inserts, []byte(",\n"), []byte("\n"), []byte("\n  }\n}\n"), []byte("    }"), []byte("\n    }"),
		[]byte(`    "PSF-2024-5": {`), []byte("{\n  \"product\": \"python\",\n  \"advisories\": {\n"), []byte("\x00garbage\""))
	heads := [][]byte{canonical, piecesLock(t, 12, 2), piecesLock(t, 10, 3)}
	whole := map[string]int{}
	rng := rand.New(rand.NewPCG(22, 22))
	for _, name := range slices.Sorted(maps.Keys(roots)) {
		data := roots[name]
		kinds := rootKinds(t, data)
		ix, fx := mustIndex(t, kinds["held"]), mustIndex(t, kinds["file"])
		if !slices.Equal(ix.entries, fx.entries) || ix.shortest != fx.shortest {
			t.Fatalf("%s: the root in a file indexes otherwise", name)
		}
		for i := range 1500 {
			c := randomVersion(rng, data, ix, inserts)
			inFile := *c
			inFile.Root = fx.root
			for kind, v := range map[string]struct {
				ix *rootIndex
				c  *gitpack.Content
			}{"held": {ix, c}, "file": {fx, &inFile}} {
				label := fmt.Sprintf("%s root (%s), version %d", name, kind, i)
				whole[kind] += cutBoth(t, label, v.ix, v.c)
				checkAbsentAgrees(t, label, heads[i%len(heads)], v.ix, v.c)
			}
		}
	}
	t.Logf("entries taken whole: %v", whole)
	if whole["held"] < 10000 || whole["file"] != whole["held"] {
		t.Errorf("entries taken whole: %v: the versions test little, or the roots differ", whole)
	}
}

// checkAbsentAgrees: against HEAD's lock head, merging a version through
// pieces (root entries compared by their summary) marks the same entries
// absent as merging its bytes.
func checkAbsentAgrees(t *testing.T, name string, head []byte, ix *rootIndex, c *gitpack.Content) {
	t.Helper()
	e := pendingOf(head)
	wantOK, err := e.merge(bytes.NewReader(contentBytes(t, c)), (*pendingEntry).sameBytes)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(e.absent)
	gotOK, err := e.mergeVersion(&pieceSource{c: c, ix: ix, segs: ix.segments(c, nil)})
	if err != nil {
		t.Fatal(err)
	}
	if gotOK != wantOK || (gotOK && !slices.Equal(e.absent, want)) {
		t.Fatalf("%s: pieces: %v %v; bytes: %v %v", name, gotOK, e.absent, wantOK, want)
	}
}

// TestPieceSourceUnreadableRoot: a version over a root in a file that no
// longer reads (cut short under it, or closed) gives an error from the
// cut and from the merge, never an answer or a panic.
func TestPieceSourceUnreadableRoot(t *testing.T) {
	data := piecesLock(t, 2000, 1)
	head := piecesLock(t, 2000, 2)
	for _, how := range []string{"cut short", "closed"} {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		r := rootKinds(t, data)["file"]
		ix := mustIndex(t, r)
		c := content(r, piece{off: 0, end: len(data)})
		if how == "closed" {
			r.Close()
		} else {
			cutFilesShort(t, tmp, int64(len(data)/2))
		}
		ok, err := cutEntries(&pieceSource{c: c, ix: ix, segs: ix.segments(c, nil)}, func(cutEntry) {})
		if ok || err == nil {
			t.Errorf("%s: the cut answers %v, %v", how, ok, err)
		}
		e := pendingOf(head)
		ok, err = e.mergeVersion(&pieceSource{c: c, ix: ix, segs: ix.segments(c, nil)})
		if ok || err == nil {
			t.Errorf("%s: the merge answers %v, %v", how, ok, err)
		}
	}
}

// cutFilesShort truncates to size every file this process has open in
// dir (through /proc/self/fd, which reaches a file already removed).
func cutFilesShort(t *testing.T, dir string, size int64) {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd: a file removed while open cannot be reached")
	}
	n := 0
	for _, fd := range fds {
		link := "/proc/self/fd/" + fd.Name()
		if target, err := os.Readlink(link); err == nil && strings.HasPrefix(target, dir+string(os.PathSeparator)) {
			if err := os.Truncate(link, size); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d files open in %s, want the root's", n, dir)
	}
}

// pendingOf is the pending entries of HEAD's lock head, as the walk
// starts them.
func pendingOf(head []byte) *entries {
	e := &entries{}
	split, _ := splitEntries(head)
	for id, raw := range split {
		p := pendingEntry{id: id, digest: entryDigest(raw)}
		p.setBytes(raw)
		e.pending = append(e.pending, p)
	}
	slices.SortFunc(e.pending, func(a, b pendingEntry) int { return strings.Compare(a.id, b.id) })
	return e
}
