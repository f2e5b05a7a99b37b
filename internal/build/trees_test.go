package build

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/psf/advisory-builder/internal/product"
)

// randomFileHistory makes a repository of commits commits, each writing,
// reverting, deleting or re-moding a few files of a small set of paths
// that nest and clash (a path is a file in one commit and a directory in
// another), then edits and adds files without committing them. It returns
// the root and every file of the work tree.
func randomFileHistory(t *testing.T, seed uint64, commits int) (string, []string) {
	t.Helper()
	root := t.TempDir()
	gitRun(t, root, time.Time{}, "init", "-q")
	rng := rand.New(rand.NewPCG(seed, 22))
	paths := []string{
		"advisories/python/PSF-2024-1.yaml", "advisories/python/PSF-2024-2.yaml", "advisories/python/PSF-2024-10.yaml",
		"advisories/pip/PSF-2023-7.yaml", "advisories/x/y/z.yaml", "advisories/x/y", "advisories/x", "advisories/x-y",
		"advisories/x.yaml", "top.yaml", "a/b/c/d/e.yaml",
	}
	when := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := range commits {
		for range 1 + rng.IntN(3) {
			p := filepath.Join(root, paths[rng.IntN(len(paths))])
			switch rng.IntN(4) {
			case 0, 1:
				placeFile(t, root, p, fmt.Sprintf("content %d\n", rng.IntN(3)))
			case 2:
				os.RemoveAll(p)
			case 3:
				os.Chmod(p, 0o755)
			}
		}
		when = when.Add(time.Hour)
		gitRun(t, root, when, "add", "-A")
		gitRun(t, root, when, "commit", "-q", "--allow-empty", "-m", fmt.Sprintf("commit %d", c))
	}
	placeFile(t, root, filepath.Join(root, paths[rng.IntN(len(paths))]), "uncommitted\n")
	placeFile(t, root, filepath.Join(root, "advisories/python/PSF-2099-1.yaml"), "untracked\n")
	return root, workFiles(t, root)
}

// workFiles lists every file of the work tree at root.
func workFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// gitRun runs git in dir (go-git cannot stage a file that became a
// directory), as a commit dated when.
func gitRun(t *testing.T, dir string, when time.Time, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=PSRT", "-c", "user.email=psrt@example.org", "-c", "commit.gpgsign=false"}, args...)...)
	date := when.Format(time.RFC3339)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// placeFile writes a file at p, first removing what is in the way: a file
// where a parent directory must be, a directory where the file must be.
func placeFile(t *testing.T, root, p, content string) {
	t.Helper()
	for d := filepath.Dir(p); d != root; d = filepath.Dir(d) {
		if fi, err := os.Lstat(d); err == nil && !fi.IsDir() {
			os.Remove(d)
		}
	}
	os.RemoveAll(p)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, p, []byte(content))
}

// sourceTimesOf dates files the way the build does, or the way it did
// before (legacy).
func sourceTimesOf(t *testing.T, root string, files []string, legacy bool) map[string]time.Time {
	t.Helper()
	times, _ := sourceTimesCounted(t, root, files, legacy, false)
	return times
}

// sourceTimesCounted is sourceTimesOf, with or without the source-dates
// cache (noCache), and the number of trees the walk compared.
func sourceTimesCounted(t *testing.T, root string, files []string, legacy, noCache bool) (map[string]time.Time, int) {
	t.Helper()
	h, err := openHistory(root, time.Time{})
	if err != nil || h == nil {
		t.Fatalf("opening %s: %v", root, err)
	}
	h.legacy, h.noCache = legacy, noCache
	found, err := h.Times(files, nil, product.ConfigPath(root), product.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if h.irregular {
		t.Fatal("the trees were read as irregular: nothing was compared")
	}
	times := map[string]time.Time{}
	for _, f := range files {
		times[f] = found.source(f, mustRead(t, f))
	}
	return times, h.treesRead
}

// TestTreeWalkAgrees: comparing trees dates every file as looking each
// path up in every commit did, over random histories where files change,
// come back, vanish, change mode and turn into directories.
func TestTreeWalkAgrees(t *testing.T) {
	for seed := range uint64(4) {
		root, files := randomFileHistory(t, seed, 20)
		fast, slow := sourceTimesOf(t, root, files, false), sourceTimesOf(t, root, files, true)
		if len(fast) != len(files) || len(slow) != len(files) {
			t.Fatalf("seed %d: dated %d and %d of %d files", seed, len(fast), len(slow), len(files))
		}
		distinct := map[time.Time]bool{}
		for f, ts := range slow {
			distinct[ts] = true
			if !fast[f].Equal(ts) {
				t.Errorf("seed %d: %s: %s by trees, %s path by path", seed, f, fast[f], ts)
			}
		}
		if len(distinct) < 3 {
			t.Errorf("seed %d: only %d distinct times: the history tests little", seed, len(distinct))
		}
	}
}

// TestParseTree: tree objects as git writes them parse; one out of
// order, with a name twice, or malformed is irregular.
func TestParseTree(t *testing.T) {
	entry := func(mode, name string) string { return mode + " " + name + "\x00" + strings.Repeat("\x01", 20) }
	for _, tc := range []struct {
		name string
		data string
		want []string // the names, directories with a slash
	}{
		{"empty", "", []string{}},
		{"git's order", entry("100644", "a") + entry("100644", "a.b") + entry("40000", "a") + entry("100644", "a0"), []string{"a", "a.b", "a/", "a0"}},
		{"directory before its dotted sibling", entry("40000", "a") + entry("100644", "a.b"), nil},
		{"out of order", entry("100644", "b") + entry("100644", "a"), nil},
		{"twice", entry("100644", "a") + entry("100755", "a"), nil},
		{"no mode", " a\x00" + strings.Repeat("\x01", 20), nil},
		{"bad mode", entry("10064x", "a"), nil},
		{"empty name", entry("100644", ""), nil},
		{"short hash", "100644 a\x00\x01\x02", nil},
	} {
		entries, err := parseTree([]byte(tc.data), nil)
		if tc.want == nil {
			if !errors.Is(err, errIrregularTree) {
				t.Errorf("%s: err = %v, want irregular", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var got []string
		for _, e := range entries {
			n := string(e.name)
			if e.dir {
				n += "/"
			}
			got = append(got, n)
		}
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestDirEntryClash: a tree holding a file and a directory of one name is
// irregular (go-git takes the file where a directory is looked for).
func TestDirEntryClash(t *testing.T) {
	both := []gitEntry{{name: []byte("a")}, {name: []byte("a"), dir: true}}
	if _, _, err := dirEntry(both, "a"); !errors.Is(err, errIrregularTree) {
		t.Errorf("file and directory a: err = %v, want irregular", err)
	}
	if _, ok, err := dirEntry(both[:1], "a"); ok || err != nil {
		t.Errorf("file a: found a directory (%v, %v)", ok, err)
	}
	if e, ok, err := dirEntry(both[1:], "a"); !ok || err != nil || !e.dir {
		t.Errorf("directory a: not found (%v, %v)", ok, err)
	}
}

// TestSourceCacheAgrees: a walk that starts from the source-dates cache of
// an earlier build (at HEAD, or some commits below it, with files edited in
// the work tree, or with the cache damaged, forged or written off the main
// line) dates every file as the walk without a cache and the path-by-path
// walk do; from a cache at HEAD it reads no tree below HEAD's.
func TestSourceCacheAgrees(t *testing.T) {
	for seed := range uint64(3) {
		root, _ := randomFileHistory(t, seed, 12)
		cache := filepath.Join(root, ".git", "advisory-builder", "sources.dates")
		check := func(stage string) {
			t.Helper()
			files := workFiles(t, root)
			slow := sourceTimesOf(t, root, files, true)
			cold, coldTrees := sourceTimesCounted(t, root, files, false, true)
			for _, c := range []string{"first", "again"} {
				got, trees := sourceTimesCounted(t, root, files, false, false)
				if c == "again" && trees > coldTrees {
					t.Errorf("seed %d, %s: from the cache at HEAD the walk compared %d trees, %d without it", seed, stage, trees, coldTrees)
				}
				for _, f := range files {
					if !got[f].Equal(slow[f]) || !cold[f].Equal(slow[f]) {
						t.Errorf("seed %d, %s, %s: %s: cached %s, cold %s, path by path %s", seed, stage, c, f, got[f], cold[f], slow[f])
					}
				}
			}
		}
		check("first build")
		if _, err := os.Stat(cache); err != nil {
			t.Fatalf("no source cache written: %v", err)
		}
		if _, trees := sourceTimesCounted(t, root, workFiles(t, root), false, false); trees > 0 {
			t.Errorf("seed %d: from a cache at HEAD the walk compared %d trees", seed, trees)
		}

		// More commits on top: the cache is now below HEAD.
		when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 3 {
			placeFile(t, root, filepath.Join(root, "advisories/python/PSF-2024-1.yaml"), fmt.Sprintf("later %d\n", i))
			placeFile(t, root, filepath.Join(root, fmt.Sprintf("advisories/pip/PSF-2026-%d.yaml", i)), "new\n")
			when = when.Add(time.Hour)
			gitRun(t, root, when, "add", "-A")
			gitRun(t, root, when, "commit", "-q", "--allow-empty", "-m", fmt.Sprintf("later %d", i))
		}
		check("after three commits")

		// Damaged: not read.
		data := mustRead(t, cache)
		data[len(data)/2] ^= 1
		writeFile(t, cache, data)
		check("with the cache damaged")

		// Forged, with a valid trailer: every file said to land at the
		// cache's commit with a blob it never had, or at a commit off the
		// main line.
		at, cached, err := readSourceCache(cache)
		if err != nil {
			t.Fatal(err)
		}
		var forged []doneSource
		for p, c := range cached {
			c.blob[0] ^= 1
			c.landed = at
			forged = append(forged, doneSource{p, c})
		}
		if err := writeSourceCache(cache, at, forged); err != nil {
			t.Fatal(err)
		}
		check("with the blobs forged")
		forged = forged[:0]
		for p, c := range cached {
			c.landed[0] ^= 1
			forged = append(forged, doneSource{p, c})
		}
		if err := writeSourceCache(cache, at, forged); err != nil {
			t.Fatal(err)
		}
		check("with the landing commits forged")
		// Written a commit below HEAD, every file said to land at HEAD,
		// above it.
		out, err := exec.Command("git", "-C", root, "rev-parse", "HEAD", "HEAD~1").Output()
		if err != nil {
			t.Fatal(err)
		}
		revs := strings.Fields(string(out))
		forged = forged[:0]
		for p, c := range cached {
			c.landed = plumbing.NewHash(revs[0])
			forged = append(forged, doneSource{p, c})
		}
		if err := writeSourceCache(cache, plumbing.NewHash(revs[1]), forged); err != nil {
			t.Fatal(err)
		}
		check("with landing commits above the cache's")
		at[0] ^= 1
		if err := writeSourceCache(cache, at, nil); err != nil {
			t.Fatal(err)
		}
		check("with the cache written off the main line")
	}
}
