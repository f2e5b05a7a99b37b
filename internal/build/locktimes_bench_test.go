package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
)

// lockHistory makes a database repository whose main line holds versions
// versions of a python lock of n entries (each like a real one: 12
// versions, 3 fixes, 5 branches); each later version changes 20 entries
// and every entry's tag date (which reaches no record). It returns the
// root and HEAD's lock.
func lockHistory(tb testing.TB, n, versions int) (string, *lock.Lock) {
	tb.Helper()
	root := tb.TempDir()
	repo, err := git.PlainInit(root, false)
	if err != nil {
		tb.Fatal(err)
	}
	l := &lock.Lock{Product: "python", Repo: "https://github.com/python/cpython", Tags: 500, TagsDigest: strings.Repeat("ab", 32), Advisories: map[string]*lock.Entry{}}
	hex := func(i, k int) string { return fmt.Sprintf("%040x", i*16+k) }
	for i := range n {
		e := &lock.Entry{InputDigest: strings.Repeat("cd", 32)}
		for k := range 3 {
			e.Fixed = append(e.Fixed, lock.Fix{Commit: hex(i, k), Branch: fmt.Sprintf("3.%d", 10+k), Source: "trailer", Tag: fmt.Sprintf("v3.%d.4", 10+k)})
		}
		for k := range 12 {
			e.Versions = append(e.Versions, fmt.Sprintf("v3.%d.%d", 8+k/3, k%3))
		}
		for k := range 5 {
			e.Branches = append(e.Branches, lock.BranchResult{Branch: fmt.Sprintf("3.%d", 8+k), Status: "fixed", FirstAffected: fmt.Sprintf("v3.%d.0", 8+k), LastAffected: fmt.Sprintf("v3.%d.3", 8+k), FixedIn: fmt.Sprintf("v3.%d.4", 8+k), FixCommit: hex(i, k)})
		}
		l.Advisories[fmt.Sprintf("PSF-2024-%d", i+1)] = e
	}
	p := lock.Path(root, "python")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	for v := range versions {
		for i := range 20 {
			e := l.Advisories[fmt.Sprintf("PSF-2024-%d", (v*20+i)%n+1)]
			e.Versions = append(e.Versions, fmt.Sprintf("v3.12.%d", 10+v))
		}
		for _, e := range l.Advisories {
			e.Changed = time.Date(2025, 1, 1+v, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
		}
		if err := lock.Write(root, l); err != nil {
			tb.Fatal(err)
		}
		commitAll(tb, repo, fmt.Sprintf("lock version %d", v), time.Date(2025, 1, 1+v, 10, 0, 0, 0, time.UTC))
	}
	return root, l
}

// entryTimes dates HEAD's lock entries, reading lock versions the way the
// build does (legacy: the way it did before, through go-git, decoding
// every version in full).
func entryTimes(tb testing.TB, root string, l *lock.Lock, legacy bool) map[string]time.Time {
	tb.Helper()
	h, err := openHistory(root, time.Time{})
	if err != nil {
		tb.Fatal(err)
	}
	h.legacy = legacy
	found, err := h.Times(nil, []lockFile{{Product: "python", File: lock.Path(root, "python"), Lock: lock.Pack(l)}}, product.ConfigPath(root), product.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	return found.entries["python"]
}

// TestLockVersionsAgree: byte comparison through git cat-file dates every
// entry as the full decode through go-git does.
func TestLockVersionsAgree(t *testing.T) {
	root, l := lockHistory(t, 200, 6)
	fast, slow := entryTimes(t, root, l, false), entryTimes(t, root, l, true)
	if len(fast) != len(l.Advisories) || len(slow) != len(l.Advisories) {
		t.Fatalf("dated %d and %d of %d entries", len(fast), len(slow), len(l.Advisories))
	}
	moved := 0
	for id, ts := range slow {
		if !fast[id].Equal(ts) {
			t.Errorf("%s: %s by bytes, %s by decoding", id, fast[id], ts)
		}
		if ts.After(time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)) {
			moved++
		}
	}
	if moved != 100 { // 5 later versions x 20 entries
		t.Errorf("%d entries moved, want 100", moved)
	}
}

// BenchmarkLockHistory: dating the entries of a 5,000-entry lock (5 MB)
// over 10 stored versions, packed as a fresh clone packs them (git repack
// -adf): from the lock-dates cache, read from the pack's deltas (no
// cache), streamed from git cat-file and compared entry by entry (no
// cache), and through go-git with a full decode of every version (the
// way before), in the same run.
func BenchmarkLockHistory(b *testing.B) {
	root, l := lockHistory(b, 5000, 10)
	gitIn(b, root, nil, "repack", "-adfq")
	for _, bc := range []struct {
		name                    string
		legacy, noCache, noPack bool
	}{{"cached", false, false, false}, {"pieces", false, true, false}, {"stream", false, true, true}, {"go-git+decode", true, true, true}} {
		packed := lock.Pack(l)
		b.Run(bc.name, func(b *testing.B) {
			walk := func() {
				h, err := openHistory(root, time.Time{})
				if err != nil {
					b.Fatal(err)
				}
				h.legacy, h.noCache, h.noPack = bc.legacy, bc.noCache, bc.noPack
				if _, err := h.Times(nil, []lockFile{{Product: "python", File: lock.Path(root, "python"), Lock: packed}}, product.ConfigPath(root), product.Config{}); err != nil {
					b.Fatal(err)
				}
				if !bc.noCache {
					return
				}
				if want := 9 * btoi(!bc.noPack); h.fromPack != want {
					b.Fatalf("%d versions read from the pack, want %d", h.fromPack, want)
				}
			}
			if !bc.noCache {
				walk() // the build before, which leaves the cache
			}
			for b.Loop() {
				walk()
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestEntryLastFields: contentOf cuts an entry's canonical bytes before
// `changed` and `warnings`; that is its content only while they are the
// last fields of lock.Entry.
func TestEntryLastFields(t *testing.T) {
	typ := reflect.TypeFor[lock.Entry]()
	n := typ.NumField()
	if typ.Field(n-2).Tag.Get("json") != "changed,omitempty" || typ.Field(n-1).Tag.Get("json") != "warnings,omitempty" {
		t.Fatalf("lock.Entry's last fields are %s and %s; contentOf expects changed and warnings (update it with the struct)",
			typ.Field(n-2).Name, typ.Field(n-1).Name)
	}
	e := &lock.Entry{InputDigest: "d", Versions: []string{"v1"}, Changed: "2025-01-01T00:00:00Z", Warnings: []string{"w"}}
	a, _ := (&lock.Lock{Advisories: map[string]*lock.Entry{"X": e}}).Marshal()
	e2 := *e
	e2.Changed, e2.Warnings = "", nil
	b, _ := (&lock.Lock{Advisories: map[string]*lock.Entry{"X": &e2}}).Marshal()
	ra, oka := splitEntries(a)
	rb, okb := splitEntries(b)
	ca, okca := contentOf(ra["X"])
	cb, okcb := contentOf(rb["X"])
	if !oka || !okb || !okca || !okcb || !bytes.Equal(ca, cb) {
		t.Fatalf("entries differing only in changed and warnings compare different:\n%s\n%s", a, b)
	}
}

// entryTimesCached dates HEAD's lock entries as the build does, with the
// lock-dates cache or without it (cold).
func entryTimesCached(tb testing.TB, root string, l *lock.Lock, cached bool) map[string]time.Time {
	tb.Helper()
	h, err := openHistory(root, time.Time{})
	if err != nil {
		tb.Fatal(err)
	}
	h.noCache = !cached
	found, err := h.Times(nil, []lockFile{{Product: "python", File: lock.Path(root, "python"), Lock: lock.Pack(l)}}, product.ConfigPath(root), product.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	lastVersionsRead = h.versionsRead
	return found.entries["python"]
}

// lastVersionsRead is how many older lock versions the last
// entryTimesCached read.
var lastVersionsRead int

// TestLockCacheAgrees: a walk that starts from the cache of an earlier
// build (at HEAD, or some commits below it after more lock versions
// landed, with the lock edited in the work tree, or with the cache
// damaged) dates every entry as a cold walk and the full decode do.
func TestLockCacheAgrees(t *testing.T) {
	root, l := lockHistory(t, 120, 5)
	repo, err := git.PlainOpen(root)
	if err != nil {
		t.Fatal(err)
	}
	check := func(stage string) {
		t.Helper()
		slow := entryTimes(t, root, l, true)
		for _, c := range []struct {
			name string
			got  map[string]time.Time
		}{
			{"cold", entryTimesCached(t, root, l, false)},
			{"cached", entryTimesCached(t, root, l, true)},
			{"cached again", entryTimesCached(t, root, l, true)},
		} {
			if c.name == "cached again" && lastVersionsRead != 0 {
				t.Errorf("%s: the walk from a cache at HEAD read %d lock versions", stage, lastVersionsRead)
			}
			if len(c.got) != len(slow) {
				t.Fatalf("%s, %s: dated %d of %d entries", stage, c.name, len(c.got), len(slow))
			}
			for id, ts := range slow {
				if !c.got[id].Equal(ts) {
					t.Errorf("%s, %s: %s: %s, decoding: %s", stage, c.name, id, c.got[id], ts)
				}
			}
		}
	}
	check("first build")
	cache := (&history{repo: repo}).lockCachePath("advisories/python.lock.json")
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("no cache written: %v", err)
	}

	// Two more commits: a lock refresh and one that leaves the lock be.
	l.Advisories["PSF-2024-7"].Versions = append(l.Advisories["PSF-2024-7"].Versions, "v3.12.99")
	if err := lock.Write(root, l); err != nil {
		t.Fatal(err)
	}
	commitAll(t, repo, "refresh", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	writeFile(t, filepath.Join(root, "advisories/python/PSF-2024-1.yaml"), []byte("id: PSF-2024-1\n"))
	commitAll(t, repo, "a source", time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC))
	check("after two commits")

	// An uncommitted refresh of another entry.
	l.Advisories["PSF-2024-8"].Versions = nil
	if err := lock.Write(root, l); err != nil {
		t.Fatal(err)
	}
	check("with the lock edited")

	// A damaged cache is not read.
	data := mustRead(t, cache)
	data[len(data)/2] ^= 1
	writeFile(t, cache, data)
	check("with the cache damaged")
}

// TestLockVersionFormsAgree: lock versions not in the canonical form (compact,
// entries out of ID order, an entry's text escaped differently, text after
// the lock) are handled as before: every entry is dated as the full decode
// of every version dates it, cold and from the cache. (Not tested here: a
// version laid out canonically with one entry that does not decode, an
// unknown field say. The byte walk, on main as here, counts only that
// entry as different; the full decode counts the whole version so.)
// lockFormsHistory makes a history of a lock of 30 entries whose
// versions are in forms other than the canonical one (see
// TestLockVersionFormsAgree), and returns the root and HEAD's lock.
func lockFormsHistory(t *testing.T) (string, *lock.Lock) {
	root, l := lockHistory(t, 30, 1)
	repo, err := git.PlainOpen(root)
	if err != nil {
		t.Fatal(err)
	}
	marshal := func() []byte {
		data, err := l.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	bump := func(ids ...int) {
		for _, i := range ids {
			e := l.Advisories[fmt.Sprintf("PSF-2024-%d", i)]
			e.Versions = append(e.Versions, fmt.Sprintf("v3.13.%d", len(e.Versions)))
		}
	}
	day := 10
	commitVersion := func(data []byte) {
		t.Helper()
		writeFile(t, lock.Path(root, "python"), data)
		day++
		commitAll(t, repo, fmt.Sprintf("version of day %d", day), time.Date(2025, 1, day, 0, 0, 0, 0, time.UTC))
	}
	commitVersion(append(marshal(), "garbage"...))
	bump(1, 2)
	commitVersion(compactJSON(t, marshal()))
	bump(3)
	swapped := marshal() // PSF-2024-10 and PSF-2024-11 change places
	a, b := bytes.Index(swapped, []byte(`    "PSF-2024-10"`)), bytes.Index(swapped, []byte(`    "PSF-2024-11"`))
	c := bytes.Index(swapped, []byte(`    "PSF-2024-12"`))
	if a < 0 || b < a || c < b {
		t.Fatal("entries 10 to 12 not found in order")
	}
	swapped = slices.Concat(swapped[:a], swapped[b:c], swapped[a:b], swapped[c:])
	commitVersion(swapped)
	bump(4)
	escaped := bytes.Replace(marshal(), []byte(`"v3.8.0"`), []byte(`"v3.8.\u0030"`), 5)
	if bytes.Equal(escaped, marshal()) {
		t.Fatal("nothing escaped")
	}
	commitVersion(escaped)
	bump(5)
	commitVersion(marshal())

	return root, l
}

func TestLockVersionFormsAgree(t *testing.T) {
	root, l := lockFormsHistory(t)
	slow := entryTimes(t, root, l, true)
	for _, name := range []string{"cold", "cached", "cached again"} {
		got := entryTimesCached(t, root, l, name != "cold")
		if len(got) != len(slow) {
			t.Fatalf("%s: dated %d of %d entries", name, len(got), len(slow))
		}
		distinct := map[time.Time]bool{}
		for id, ts := range slow {
			distinct[ts] = true
			if !got[id].Equal(ts) {
				t.Errorf("%s: %s: %s, decoding: %s", name, id, got[id], ts)
			}
		}
		if len(distinct) < 4 {
			t.Errorf("only %d distinct times: the forms test little", len(distinct))
		}
	}
}
