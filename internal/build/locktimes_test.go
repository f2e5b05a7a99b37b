package build

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/psf/advisory-builder/internal/lock"
)

// editLock rewrites a product's lock of the database at root (in the
// canonical form, so the file's bytes change even when no entry does).
func editLock(t *testing.T, root, product string, edit func(l *lock.Lock)) {
	t.Helper()
	l, err := lock.Read(root, product)
	if err != nil {
		t.Fatal(err)
	}
	edit(l)
	if err := lock.Write(root, l); err != nil {
		t.Fatal(err)
	}
}

// TestModifiedFollowsLockEntries: a resolution counts for `modified` from
// the time its lock entry's current content landed on the main line, per
// entry; the upstream tag date in the lock never counts, nor does a
// reformatted lock, a changed warning or a commit that leaves the lock be.
func TestModifiedFollowsLockEntries(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	repo, err := git.PlainInit(root, false)
	if err != nil {
		t.Fatal(err)
	}
	at := func(day int) time.Time { return time.Date(2025, 1, day, 10, 0, 0, 0, time.UTC) }
	stamp := func(day int) string { return at(day).Format(time.RFC3339) }
	commitAll(t, repo, "initial", at(1))
	want := map[string]string{
		"PSF-2024-9": stamp(1), "PSF-2007-1": stamp(1), "PSF-2023-2": stamp(1), "PSF-2023-7": stamp(1),
	}
	checkModified(t, root, want)

	// Reformatted locks, a tag date in the future, new warnings: nothing
	// that reaches a record changes, so no `modified` moves.
	for _, p := range []string{"python", "pip"} {
		editLock(t, root, p, func(l *lock.Lock) {
			for _, e := range l.Advisories {
				e.Changed, e.Warnings = "2099-12-31T23:59:59Z", []string{"branch 3.8 is still unfixed"}
			}
		})
	}
	commitAll(t, repo, "tag dates and warnings", at(2))
	checkModified(t, root, want)

	// A refresh changes one entry's versions; its tag is back-dated before
	// every database commit. That entry moves to the commit's time.
	editLock(t, root, "python", func(l *lock.Lock) {
		e := l.Advisories["PSF-2024-9"]
		e.Versions = slices.Insert(e.Versions, 1, "v3.12.1")
		e.Changed = "2024-01-01T00:00:00Z"
	})
	commitAll(t, repo, "refresh", at(3))
	want["PSF-2024-9"] = stamp(3)
	checkModified(t, root, want)

	// A later commit that leaves the locks be moves no resolution.
	src := filepath.Join(root, "advisories/python/PSF-2007-1.yaml")
	writeFile(t, src, append(mustRead(t, src), []byte("notes: reviewed\n")...))
	commitAll(t, repo, "source edit", at(4))
	want["PSF-2007-1"] = stamp(4)
	checkModified(t, root, want)

	// An uncommitted lock edit: the changed entry takes HEAD's time, the
	// entries of the same lock that did not change keep theirs.
	editLock(t, root, "pip", func(l *lock.Lock) {
		l.Advisories["PSF-2023-7"].Versions = []string{"23.0", "23.1", "23.2"}
	})
	want["PSF-2023-7"] = stamp(4)
	checkModified(t, root, want)
	commitAll(t, repo, "pip refresh", at(5))
	want["PSF-2023-7"] = stamp(5)
	checkModified(t, root, want)

	// Going back to earlier content is a new change: it still moves on.
	editLock(t, root, "pip", func(l *lock.Lock) {
		l.Advisories["PSF-2023-7"].Versions = []string{"23.1", "23.2"}
	})
	commitAll(t, repo, "pip back", at(6))
	want["PSF-2023-7"] = stamp(6)
	checkModified(t, root, want)
}

// TestModifiedAfterUnreadableLock: a committed version of a lock that does
// not parse (an earlier format) counts as different content: the entries
// date from the commit after it, never from before.
func TestModifiedAfterUnreadableLock(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	repo, err := git.PlainInit(root, false)
	if err != nil {
		t.Fatal(err)
	}
	p := lock.Path(root, "python")
	good := mustRead(t, p)
	writeFile(t, p, append([]byte(`{"format": 0,`), good[1:]...))
	commitAll(t, repo, "old format", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if err := os.WriteFile(p, good, 0o644); err != nil {
		t.Fatal(err)
	}
	commitAll(t, repo, "new format", time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))
	checkModified(t, root, map[string]string{
		"PSF-2024-9": "2025-02-01T00:00:00Z", "PSF-2007-1": "2025-01-01T00:00:00Z",
		"PSF-2023-2": "2025-01-01T00:00:00Z", "PSF-2023-7": "2025-01-01T00:00:00Z",
	})
}
