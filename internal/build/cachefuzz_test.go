package build

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// FuzzCacheFiles feeds arbitrary bodies, sealed with a valid trailer, to
// the readers of both caches: they never panic, and whatever they accept
// writes back to the same bytes (a cache has one form, so what is read is
// exactly what a build wrote).
func FuzzCacheFiles(f *testing.F) {
	dir := f.TempDir()
	at := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	seed := filepath.Join(dir, "seed")
	if err := writeSourceCache(seed, at, []doneSource{{"advisories/pip/PSF-2023-7.yaml", cachedSource{}}, {"advisories/python/PSF-2024-9.yaml", cachedSource{}}}); err != nil {
		f.Fatal(err)
	}
	_, body, err := readSealed(seed, sourceCacheFormat)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(false, body)
	entries := []cachedEntry{{pendingEntry: pendingEntry{id: "PSF-2024-1", hasSum: true, byContent: true}}, {pendingEntry: pendingEntry{id: "PSF-2024-2", digest: "abc"}}}
	if err := writeLockCache(seed, "advisories/python.lock.json", at, entries); err != nil {
		f.Fatal(err)
	}
	_, body, err = readSealed(seed, lockCacheFormat)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(true, body)
	f.Fuzz(func(t *testing.T, isLock bool, body []byte) {
		file, again := filepath.Join(t.TempDir(), "cache"), filepath.Join(t.TempDir(), "again")
		format := sourceCacheFormat
		if isLock {
			format = lockCacheFormat
		}
		if err := writeSealed(file, format, at, body); err != nil {
			t.Fatal(err)
		}
		if isLock {
			gotAt, got, err := readLockCache(file, "advisories/python.lock.json")
			if err != nil {
				return
			}
			if err := writeLockCache(again, "advisories/python.lock.json", gotAt, got); err != nil {
				t.Fatal(err)
			}
		} else {
			gotAt, got, err := readSourceCache(file)
			if err != nil {
				return
			}
			var files []doneSource
			for p, c := range got {
				files = append(files, doneSource{p, c})
			}
			if err := writeSourceCache(again, gotAt, files); err != nil {
				t.Fatal(err)
			}
		}
		a, b := mustRead(t, file), mustRead(t, again)
		if !bytes.Equal(a, b) {
			t.Errorf("read and written back, the cache changed:\n%q\n%q", a, b)
		}
		os.Remove(again)
	})
}
