package build

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestOutRefusesWhatItDidNotWrite: build --out replaces only a directory
// an earlier build marked, never the database, a git repository, a
// symbolic link or a folder that merely looks like an output.
func TestOutRefusesWhatItDidNotWrite(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, root string) (out string, keep []string)
		want  string
	}{
		{"a download folder with SHA256SUMS", func(t *testing.T, root string) (string, []string) {
			out := filepath.Join(t.TempDir(), "Downloads")
			writeFile(t, filepath.Join(out, "ubuntu.iso"), []byte("iso"))
			writeFile(t, filepath.Join(out, "SHA256SUMS"), []byte("0000  ubuntu.iso\n"))
			writeFile(t, filepath.Join(out, "docs/notes.txt"), []byte("mine"))
			return out, []string{"ubuntu.iso", "SHA256SUMS", "docs/notes.txt"}
		}, "not a previous build"},
		{"the database root", func(t *testing.T, root string) (string, []string) {
			return root, []string{"advisories/python/PSF-2024-9.yaml"}
		}, "is the database root"},
		{"the database root, marked", func(t *testing.T, root string) (string, []string) {
			writeFile(t, filepath.Join(root, markerFile), []byte(markerText))
			return root, []string{"advisories/python/PSF-2024-9.yaml"}
		}, "is the database root"},
		{"a directory holding the database", func(t *testing.T, root string) (string, []string) {
			return filepath.Dir(root), nil
		}, "contains the database root"},
		{"inside the sources", func(t *testing.T, root string) (string, []string) {
			return filepath.Join(root, "advisories", "out"), nil
		}, "inside the database's advisories/"},
		{"a marker with other content", func(t *testing.T, root string) (string, []string) {
			out := filepath.Join(t.TempDir(), "o")
			writeFile(t, filepath.Join(out, markerFile), []byte("x"))
			writeFile(t, filepath.Join(out, "a.txt"), []byte("mine"))
			return out, []string{"a.txt"}
		}, "not a previous build"},
		{"a marked git repository", func(t *testing.T, root string) (string, []string) {
			out := filepath.Join(t.TempDir(), "clone")
			writeFile(t, filepath.Join(out, markerFile), []byte(markerText))
			writeFile(t, filepath.Join(out, ".git/HEAD"), []byte("ref: refs/heads/main\n"))
			return out, []string{".git/HEAD"}
		}, "holds a git repository"},
		{"a symbolic link to a previous build", func(t *testing.T, root string) (string, []string) {
			dir := t.TempDir()
			real := filepath.Join(dir, "real")
			writeFile(t, filepath.Join(real, markerFile), []byte(markerText))
			out := filepath.Join(dir, "link")
			if err := os.Symlink(real, out); err != nil {
				t.Fatal(err)
			}
			return out, []string{markerFile}
		}, "is a symbolic link"},
		{"a file", func(t *testing.T, root string) (string, []string) {
			out := filepath.Join(t.TempDir(), "f")
			writeFile(t, out, []byte("x"))
			return out, []string{""}
		}, "not a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "db")
			unpackFixture(t, root, nil)
			out, keep := tc.setup(t, root)
			before := map[string][]byte{}
			for _, k := range keep {
				before[k] = mustRead(t, filepath.Join(out, k))
			}
			_, err := Run(Options{Root: root, Out: out, Now: now})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			for _, k := range keep {
				if got, err := os.ReadFile(filepath.Join(out, k)); err != nil || string(got) != string(before[k]) {
					t.Errorf("%s changed or gone: %v", k, err)
				}
			}
			if fi, err := os.Lstat(out); err == nil && strings.Contains(tc.name, "symbolic") && fi.Mode()&os.ModeSymlink == 0 {
				t.Error("the symbolic link became a directory")
			}
		})
	}
}

// TestOutReplacesMarkedAndEmpty: an empty directory and an earlier build
// are replaced; the new output carries the marker.
func TestOutReplacesMarkedAndEmpty(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	out := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := Run(Options{Root: root, Out: out, Now: now}); err != nil {
			t.Fatal(err)
		}
		if string(mustRead(t, filepath.Join(out, markerFile))) != markerText {
			t.Fatal("no marker in the output")
		}
	}
	// The default layout: public/ inside the database root.
	if _, err := Run(Options{Root: root, Out: filepath.Join(root, "public"), Now: now}); err != nil {
		t.Fatal(err)
	}
}

// TestOutCleansLeftovers: trees of killed builds beside the output are
// removed; one a running build holds locked is kept.
func TestOutCleansLeftovers(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	dead := filepath.Join(dir, ".out.new-123")
	writeFile(t, filepath.Join(dead, markerFile), []byte(markerText))
	writeFile(t, filepath.Join(dead, "advisories/x.json"), []byte("half"))
	live := filepath.Join(dir, ".out.new-456")
	writeFile(t, filepath.Join(live, markerFile), []byte(markerText))
	writeFile(t, filepath.Join(live, "a"), []byte("running"))
	unlock, err := lockDir(live)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	other := filepath.Join(dir, ".other.new-1")
	writeFile(t, filepath.Join(other, "a"), []byte("not ours"))
	if _, err := Run(Options{Root: root, Out: out, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("leftover of a killed build kept: %v", err)
	}
	for _, keep := range []string{live, other} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s removed: %v", keep, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 { // out and the two kept: no tree of this build
		t.Errorf("after the build %d entries beside out, want 3: %v", len(entries), entries)
	}
}

// TestOutKeepsUnmarkedLookAlikes: a directory named like a build's
// temporary tree but without the marker (someone else's) survives the
// build, and the build says why it left it.
func TestOutKeepsUnmarkedLookAlikes(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cases := map[string]string{
		".out.new-mine":  "",                  // no marker at all
		".out.new-other": "x",                 // a marker with other content
		".out.new-big":   markerText + "more", // a marker that is longer
	}
	for name, marker := range cases {
		writeFile(t, filepath.Join(dir, name, "important.txt"), []byte("x"))
		if marker != "" {
			writeFile(t, filepath.Join(dir, name, markerFile), []byte(marker))
		}
	}
	var log strings.Builder
	if _, err := Run(Options{Root: root, Out: out, Now: now, Log: &log}); err != nil {
		t.Fatal(err)
	}
	for name := range cases {
		if got, err := os.ReadFile(filepath.Join(dir, name, "important.txt")); err != nil || string(got) != "x" {
			t.Errorf("%s/important.txt removed or changed: %v", name, err)
		}
		if !strings.Contains(log.String(), name+" looks like the temporary tree") {
			t.Errorf("no warning naming %s in:\n%s", name, log.String())
		}
	}
}

// TestSwapNeverMissing watches the output path while it is replaced again
// and again: every look finds a whole tree, old or new.
func TestSwapNeverMissing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	writeFile(t, filepath.Join(out, "gen"), []byte("0"))
	var done atomic.Bool
	var misses, looks atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !done.Load() {
			looks.Add(1)
			if _, err := os.ReadFile(filepath.Join(out, "gen")); err != nil {
				misses.Add(1)
			}
		}
	}()
	for i := 1; i <= 300; i++ {
		tmp := filepath.Join(dir, ".out.new-"+strconv.Itoa(i))
		writeFile(t, filepath.Join(tmp, "gen"), []byte(strconv.Itoa(i)))
		if err := swap(tmp, out); err != nil {
			done.Store(true)
			wg.Wait()
			t.Fatal(err)
		}
	}
	done.Store(true)
	wg.Wait()
	if misses.Load() > 0 {
		t.Errorf("the output was missing %d times in %d looks during 300 swaps", misses.Load(), looks.Load())
	}
	if got := string(mustRead(t, filepath.Join(out, "gen"))); got != "300" {
		t.Errorf("final tree is generation %s, want 300", got)
	}
}
