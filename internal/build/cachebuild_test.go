package build

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/lock"
)

// TestCachesKeepTheOutput: whole builds of a generated database with a
// history write the same bytes whether the dates come from the caches of
// the build before (at HEAD, below HEAD after more commits, with a source
// and a lock entry edited in the work tree) or from no cache, and whether
// the caches are damaged or removed.
func TestCachesKeepTheOutput(t *testing.T) {
	root := filepath.Join(t.TempDir(), "db")
	h := bundletest.History{Commits: 8, LockVersions: 4, Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := bundletest.WriteHistory(root, 90, mustRead(t, productsFile), h); err != nil {
		t.Fatal(err)
	}
	caches := filepath.Join(root, ".git", "advisory-builder")
	build := func(stage string, dropCaches bool) map[string][]byte {
		t.Helper()
		if dropCaches {
			if err := os.RemoveAll(caches); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(t.TempDir(), "public")
		if _, err := Run(Options{Root: root, Out: out, Now: now}); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		return readTree(t, out)
	}
	same := func(stage string, got, want map[string][]byte) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d files, %d without the caches", stage, len(got), len(want))
		}
		for name, data := range want {
			if !bytes.Equal(got[name], data) {
				t.Errorf("%s: %s differs from the build without the caches", stage, name)
			}
		}
	}

	cold := build("first build", true)
	for _, name := range []string{"sources.dates", "advisories%python.lock.json.dates", "advisories%pip.lock.json.dates"} {
		if _, err := os.Stat(filepath.Join(caches, name)); err != nil {
			t.Fatalf("the first build left no %s: %v", name, err)
		}
	}
	same("from the caches at HEAD", build("cached", false), cold)
	for _, name := range []string{"sources.dates", "advisories%python.lock.json.dates"} {
		p := filepath.Join(caches, name)
		data := mustRead(t, p)
		data[len(data)/3] ^= 0x20
		writeFile(t, p, data)
	}
	same("from damaged caches", build("damaged", false), cold)

	// Two more commits (a source, then the python lock), built from the
	// caches left at the commit below them and without.
	listed, err := os.ReadDir(filepath.Join(root, "advisories", "python"))
	if err != nil || len(listed) == 0 {
		t.Fatalf("no python advisory: %v", err)
	}
	src := filepath.Join(root, "advisories", "python", listed[0].Name())
	original := mustRead(t, src)
	writeFile(t, src, append(original, "notes: reviewed\n"...))
	gitRun(t, root, h.Start.Add(100*time.Hour), "commit", "-q", "-am", "edit a source")
	editLock(t, root, "python", func(l *lock.Lock) {
		for _, e := range l.Advisories {
			e.Versions = append(e.Versions, "v3.99.0")
			break
		}
	})
	gitRun(t, root, h.Start.Add(101*time.Hour), "commit", "-q", "-am", "refresh the lock")
	cached := build("after two commits, cached", false)
	same("after two commits", cached, build("after two commits, no cache", true))

	// Uncommitted edits in the work tree.
	build("leave the caches", false)
	writeFile(t, src, append(original, "notes: reviewed again\n"...))
	editLock(t, root, "pip", func(l *lock.Lock) {
		for _, e := range l.Advisories {
			e.Versions = append(e.Versions, "99.0")
			break
		}
	})
	cached = build("edited, cached", false)
	same("with uncommitted edits", cached, build("edited, no cache", true))
}
