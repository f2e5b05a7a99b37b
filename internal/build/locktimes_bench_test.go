package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
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
// over 10 stored versions: git cat-file and entry bytes against go-git and
// a full decode of every version (the way before), in the same run.
func BenchmarkLockHistory(b *testing.B) {
	root, l := lockHistory(b, 5000, 10)
	for _, bc := range []struct {
		name   string
		legacy bool
	}{{"cat-file+bytes", false}, {"go-git+decode", true}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				entryTimes(b, root, l, bc.legacy)
			}
		})
	}
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
