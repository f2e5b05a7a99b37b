package build

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
)

// git runs git in dir with stdin, failing the test on an error.
func gitIn(tb testing.TB, dir string, stdin []byte, args ...string) []byte {
	tb.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "gc.auto=0"}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// packing is a way a test history's objects are stored: as git commit
// left them (loose), or packed.
type packing struct {
	name string
	pack func(tb testing.TB, root string)
}

// packings: loose, git repack with several depths and windows (a
// fresh clone's shape: newest whole, older versions deltas of newer
// ones), REF_DELTA bases, and fast-import's pack (gendb's way: oldest
// whole, each newer version a delta of the one before).
var packings = []packing{
	{"loose", func(testing.TB, string) {}},
	{"repack", repackWith(nil, "--depth=50", "--window=10")},
	{"repack depth 2 window 50", repackWith(nil, "--depth=2", "--window=50")},
	{"repack REF_DELTA", repackWith([]string{"-c", "repack.useDeltaBaseOffset=false"}, "--depth=20")},
	{"fast-import", reimport},
}

func repackWith(config []string, opts ...string) func(testing.TB, string) {
	return func(tb testing.TB, root string) {
		gitIn(tb, root, nil, append(append(config, "repack", "-adfq"), opts...)...)
	}
}

// reimport replaces the repository's objects with one git fast-import of
// its history (the same commits), packed however few they are.
func reimport(tb testing.TB, root string) {
	head := strings.TrimSpace(string(gitIn(tb, root, nil, "symbolic-ref", "HEAD")))
	stream := gitIn(tb, root, nil, "fast-export", "--all")
	fresh := filepath.Join(tb.TempDir(), "fresh")
	gitIn(tb, root, nil, "init", "-q", fresh)
	gitIn(tb, fresh, nil, "symbolic-ref", "HEAD", head)
	gitIn(tb, fresh, stream, "-c", "fastimport.unpackLimit=0", "fast-import", "--quiet")
	before := gitIn(tb, root, nil, "rev-parse", "HEAD")
	if err := os.RemoveAll(filepath.Join(root, ".git")); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(filepath.Join(fresh, ".git"), filepath.Join(root, ".git")); err != nil {
		tb.Fatal(err)
	}
	gitIn(tb, root, nil, "reset", "-q")
	if after := gitIn(tb, root, nil, "rev-parse", "HEAD"); !bytes.Equal(before, after) {
		tb.Fatalf("fast-import made HEAD %s, not %s", after, before)
	}
}

// walkWay is how entryTimesBy reads lock versions.
type walkWay int

const (
	byPieces    walkWay = iota // the pack's deltas, git cat-file where not available
	byFileRoots                // the same, every root read from a temporary file
	byCatFile
	byDecode // go-git, every version decoded (the way before)
)

func (w walkWay) String() string {
	return [...]string{"pieces", "pieces from files", "cat-file", "decode"}[w]
}

// entryTimesBy dates HEAD's lock entries one way, with the lock-dates
// cache or without, and returns how many versions it read from the packs.
func entryTimesBy(tb testing.TB, root string, l *lock.Lock, way walkWay, cached bool) (map[string]time.Time, int) {
	tb.Helper()
	found, fromPack, err := walkLock(root, l, way, cached)
	if err != nil {
		tb.Fatal(err)
	}
	if (way == byCatFile || way == byDecode) && fromPack != 0 {
		tb.Fatalf("%s: %d versions read from the packs", way, fromPack)
	}
	return found, fromPack
}

// walkLock dates HEAD's python lock entries one way, with the lock-dates
// cache or without: the dates and how many versions were read from the
// packs, or the walk's error.
func walkLock(root string, l *lock.Lock, way walkWay, cached bool) (map[string]time.Time, int, error) {
	h, err := openHistory(root, time.Time{})
	if err != nil {
		return nil, 0, err
	}
	h.legacy, h.noPack, h.noCache = way == byDecode, way == byCatFile, !cached
	if way == byFileRoots {
		defer func(n int) { lockHeldRoot = n }(lockHeldRoot)
		lockHeldRoot = 1
	}
	found, err := h.Times(nil, []lockFile{{Product: "python", File: lock.Path(root, "python"), Lock: lock.Pack(l)}}, product.ConfigPath(root), product.Config{})
	if err != nil {
		return nil, 0, err
	}
	return found.entries["python"], h.fromPack, nil
}

// checkWaysAgree: every way dates every entry of HEAD's lock alike (cold:
// no cache is read or written); on a packed history the pieces read some
// versions, as many with their roots in files as held. It returns the
// dates.
func checkWaysAgree(t *testing.T, name, root string, l *lock.Lock, packed bool) map[string]time.Time {
	t.Helper()
	want, _ := entryTimesBy(t, root, l, byDecode, false)
	held := 0
	for _, way := range []walkWay{byPieces, byFileRoots, byCatFile} {
		got, fromPack := entryTimesBy(t, root, l, way, false)
		if way == byPieces {
			held = fromPack
		} else if way == byFileRoots && fromPack != held {
			t.Errorf("%s: %d versions read from the packs with roots in files, %d held", name, fromPack, held)
		}
		if len(got) != len(want) {
			t.Fatalf("%s, %s: dated %d of %d entries", name, way, len(got), len(want))
		}
		for id, ts := range want {
			if !got[id].Equal(ts) {
				t.Errorf("%s, %s: %s: %s, decoding: %s", name, way, id, got[id], ts)
			}
		}
		if way != byCatFile && packed && fromPack == 0 {
			t.Errorf("%s: no version read from the packs", name)
		}
	}
	return want
}

// TestLockVersionsAgreePacked: TestLockVersionsAgree's history, stored
// every way: read from the pack's deltas, through git cat-file and by the
// full decode, every entry is dated alike.
func TestLockVersionsAgreePacked(t *testing.T) {
	for _, p := range packings {
		root, l := lockHistory(t, 200, 6)
		p.pack(t, root)
		checkWaysAgree(t, p.name, root, l, p.name != "loose")
	}
}

// TestLockVersionFormsAgreePacked: TestLockVersionFormsAgree's
// versions in forms other than the canonical one, packed: the pieces give
// way to the reading whole where the stream does not take a version.
func TestLockVersionFormsAgreePacked(t *testing.T) {
	for _, p := range packings[1:] {
		root, l := lockFormsHistory(t)
		p.pack(t, root)
		checkWaysAgree(t, p.name, root, l, true)
	}
}

// randomLockHistory commits a python lock of a few dozen entries over
// commits commits, each changing a few entries (their versions, their
// tag date only, their warnings), removing or adding some, changing
// nothing, or writing a version not in the canonical form (compact,
// entries swapped, an entry's text escaped, trailing text), and
// sometimes going back to an earlier version; then edits the lock
// without committing it, or not.
func randomLockHistory(t *testing.T, seed uint64, commits int) (string, *lock.Lock) {
	t.Helper()
	root := t.TempDir()
	gitRun(t, root, time.Time{}, "init", "-q")
	rng := rand.New(rand.NewPCG(seed, 22))
	l := &lock.Lock{Product: "python", Repo: "https://github.com/python/cpython", Advisories: map[string]*lock.Entry{}}
	newEntry := func(i int) *lock.Entry {
		e := &lock.Entry{InputDigest: fmt.Sprintf("%064x", i)}
		for k := range 1 + rng.IntN(6) {
			e.Versions = append(e.Versions, fmt.Sprintf("v3.%d.%d", 8+k/3, k%3))
		}
		return e
	}
	for i := range 40 {
		l.Advisories[fmt.Sprintf("PSF-2024-%d", i)] = newEntry(i)
	}
	if err := os.MkdirAll(filepath.Dir(lock.Path(root, "python")), 0o755); err != nil {
		t.Fatal(err)
	}
	var kept [][]byte
	when := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := range commits {
		ids := sortedIDs(l)
		for range 1 + rng.IntN(4) {
			id := ids[rng.IntN(len(ids))]
			e := l.Advisories[id]
			switch rng.IntN(7) {
			case 0:
				e.Versions = append(e.Versions, fmt.Sprintf("v3.13.%d", c))
			case 1:
				e.Changed = when.Format(time.RFC3339)
			case 2:
				e.Warnings = append(e.Warnings, fmt.Sprintf("warning %d", c))
			case 3:
				delete(l.Advisories, id)
			case 4:
				l.Advisories[fmt.Sprintf("PSF-2025-%d", rng.IntN(60))] = newEntry(100 + c)
			case 5:
				if len(e.Versions) > 1 {
					e.Versions = e.Versions[1:]
				}
			}
		}
		data, err := l.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		form := rng.IntN(20)
		if c == commits-1 {
			form = 99 // HEAD's lock as lock.Marshal writes it
		}
		switch {
		case form == 0:
			data = compactJSON(t, data)
		case form == 1 && c < commits/3: // a version that does not parse dates everything after it
			data = append(data, "garbage"...)
		case form == 2:
			data = bytes.Replace(data, []byte(`"v3.8.0"`), []byte(`"v3.8.\u0030"`), 1)
		case form == 3:
			swapped := bytes.Replace(data, []byte(`"PSF-2024-1"`), []byte(`"PSF-2024-9x"`), 1) // out of ID order
			data = swapped
		case form < 6 && len(kept) > 0:
			data = kept[rng.IntN(len(kept))] // an earlier version again
		}
		if _, err := lock.Parse(bytes.NewReader(data)); err == nil {
			kept = append(kept, data)
		}
		writeFile(t, lock.Path(root, "python"), data)
		when = when.Add(time.Hour)
		gitRun(t, root, when, "add", "-A")
		gitRun(t, root, when, "commit", "-q", "--allow-empty", "-m", fmt.Sprintf("commit %d", c))
	}
	if rng.IntN(3) == 0 { // an uncommitted refresh
		for _, e := range l.Advisories {
			e.Versions = append(e.Versions, "v3.14.0")
			break
		}
		if err := lock.Write(root, l); err != nil {
			t.Fatal(err)
		}
	}
	return root, l
}

func sortedIDs(l *lock.Lock) []string { return slices.Sorted(maps.Keys(l.Advisories)) }

// TestRandomLockHistoriesAgree: over seeded random lock histories, each
// stored every way, the pack's deltas, git cat-file and the full decode
// date every entry alike, cold and from the lock-dates cache.
func TestRandomLockHistoriesAgree(t *testing.T) {
	for seed := range uint64(4) {
		for _, p := range packings {
			root, l := randomLockHistory(t, seed, 20)
			p.pack(t, root)
			name := fmt.Sprintf("seed %d, %s", seed, p.name)
			want := checkWaysAgree(t, name, root, l, p.name != "loose")
			distinct := map[time.Time]bool{}
			for _, ts := range want {
				distinct[ts] = true
			}
			if len(distinct) < 3 {
				t.Errorf("%s: only %d distinct times: the history tests little", name, len(distinct))
			}
			for range 2 { // the first writes the cache, the second reads it
				got, _ := entryTimesBy(t, root, l, byPieces, true)
				for id, ts := range want {
					if !got[id].Equal(ts) {
						t.Errorf("%s, cached: %s: %s, decoding: %s", name, id, got[id], ts)
					}
				}
			}
		}
	}
}

// TestFragmentedVersionsAgree: when versions are too many pieces of their
// root (every delta, here), the lock is read through git cat-file from
// the first such version on, and every entry is dated alike.
func TestFragmentedVersionsAgree(t *testing.T) {
	defer func(f func(int) int) { versionPieces = f }(versionPieces)
	bound := versionPieces
	for _, p := range packings[1:] {
		root, l := randomLockHistory(t, 9, 12)
		p.pack(t, root)
		want, _ := entryTimesBy(t, root, l, byDecode, false)
		versionPieces = bound
		_, all := entryTimesBy(t, root, l, byPieces, false)
		versionPieces = func(int) int { return 1 }
		got, some := entryTimesBy(t, root, l, byPieces, false)
		if some >= all {
			t.Errorf("%s: %d versions read from the packs with every delta too fragmented, %d without", p.name, some, all)
		}
		for id, ts := range want {
			if !got[id].Equal(ts) {
				t.Errorf("%s: %s: %s, decoding: %s", p.name, id, got[id], ts)
			}
		}
	}
}

// TestRootTooLargeAgrees: a lock whose chain ends at a whole version
// larger than lockRootSize is read through git cat-file, from its first
// version on, and dated alike; one larger than lockHeldRoot is read from
// the pack through a temporary file, and dated alike.
func TestRootTooLargeAgrees(t *testing.T) {
	defer func(n int) { lockRootSize = n }(lockRootSize)
	for _, p := range packings[1:] {
		root, l := randomLockHistory(t, 11, 12)
		p.pack(t, root)
		want, _ := entryTimesBy(t, root, l, byDecode, false)
		_, held := entryTimesBy(t, root, l, byPieces, false)
		if held == 0 {
			t.Fatalf("%s: no version read from the packs with roots of any size", p.name)
		}
		lockRootSize = 1
		got, read := entryTimesBy(t, root, l, byPieces, false)
		inFiles, readInFiles := entryTimesBy(t, root, l, byFileRoots, false)
		lockRootSize = 0
		if read != 0 || readInFiles != 0 {
			t.Errorf("%s: %d versions (%d with roots in files) read from the packs with every root too large", p.name, read, readInFiles)
		}
		if _, read := entryTimesBy(t, root, l, byFileRoots, false); read != held {
			t.Errorf("%s: %d versions read from the packs with roots in files, %d held", p.name, read, held)
		}
		for id, ts := range want {
			if !got[id].Equal(ts) || !inFiles[id].Equal(ts) {
				t.Errorf("%s: %s: %s (%s with roots in files), decoding: %s", p.name, id, got[id], inFiles[id], ts)
			}
		}
	}
}

// TestFileRootsLeaveNothing: walks that read their roots from temporary
// files leave none in os.TempDir(), from a sound pack or from a damaged
// one, where a walk never panics and, when it and git cat-file's walk
// both read the objects, dates alike.
func TestFileRootsLeaveNothing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	root, l := randomLockHistory(t, 13, 12)
	packings[1].pack(t, root)
	leftover := func(when string) {
		if names, _ := filepath.Glob(filepath.Join(tmp, "*")); len(names) != 0 {
			t.Fatalf("%s: left in the temporary directory: %v", when, names)
		}
	}
	if _, read := entryTimesBy(t, root, l, byFileRoots, false); read == 0 {
		t.Fatal("no version read from the packs")
	}
	leftover("a sound pack")
	packs, _ := filepath.Glob(filepath.Join(root, ".git", "objects", "pack", "*.pack"))
	good, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(13, 13))
	failed := 0
	for i := range 12 {
		bad := bytes.Clone(good)
		for range 1 + rng.IntN(3) {
			bad[12+rng.IntN(len(bad)-32)] ^= byte(1 + rng.IntN(255))
		}
		if err := os.WriteFile(packs[0], bad, 0o644); err != nil {
			t.Fatal(err)
		}
		got, _, err := walkLock(root, l, byFileRoots, false)
		leftover(fmt.Sprintf("damaged pack %d", i))
		want, _, wantErr := walkLock(root, l, byCatFile, false)
		if err != nil || wantErr != nil {
			failed++
			continue
		}
		for id, ts := range want {
			if !got[id].Equal(ts) {
				t.Errorf("damaged pack %d: %s dated %s from files, %s by git cat-file", i, id, got[id], ts)
			}
		}
	}
	t.Logf("%d of 12 damaged packs failed a walk", failed)
}
