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
	return root, files
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
	h, err := openHistory(root, time.Time{})
	if err != nil || h == nil {
		t.Fatalf("opening %s: %v", root, err)
	}
	h.legacy = legacy
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
	return times
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
