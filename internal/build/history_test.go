package build

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

func commitAll(t testing.TB, repo *git.Repository, msg string, when time.Time) {
	t.Helper()
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddGlob("advisories"); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "PSRT", Email: "psrt@example.org", When: when}
	if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
}

// TestModifiedFollowsHistory checks the derived `modified`: the commit time
// of each source's current content, bumped by a content change, unchanged
// for untouched sources, HEAD's time for an uncommitted edit, and never
// below the authored floor or the resolution's tag date.
func TestModifiedFollowsHistory(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	repo, err := git.PlainInit(root, false)
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	t2 := time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)
	commitAll(t, repo, "initial", t1)
	want := map[string]string{
		"PSF-2024-9": "2025-01-01T10:00:00Z", "PSF-2007-1": "2025-01-01T10:00:00Z",
		"PSF-2023-2": "2025-01-01T10:00:00Z", "PSF-2023-7": "2025-01-01T10:00:00Z",
	}
	checkModified(t, root, want)

	src := filepath.Join(root, "advisories/python/PSF-2007-1.yaml")
	data := mustRead(t, src)
	writeFile(t, src, append(data, []byte("notes: reviewed again\n")...))
	commitAll(t, repo, "edit PSF-2007-1", t2)
	want["PSF-2007-1"] = "2025-02-01T10:00:00Z"
	checkModified(t, root, want)

	// Reverting to earlier content is a new change: modified still rises.
	writeFile(t, src, data)
	t3 := t2.Add(time.Hour)
	commitAll(t, repo, "revert", t3)
	want["PSF-2007-1"] = "2025-02-01T11:00:00Z"
	checkModified(t, root, want)

	// An uncommitted edit takes HEAD's time.
	pip := filepath.Join(root, "advisories/pip/PSF-2023-7.yaml")
	writeFile(t, pip, append(mustRead(t, pip), []byte("notes: draft\n")...))
	want["PSF-2023-7"] = "2025-02-01T11:00:00Z"
	checkModified(t, root, want)
}

func checkModified(t *testing.T, root string, want map[string]string) {
	t.Helper()
	recs, _, err := Records(root, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if got := r.Vuln.Modified; got != want[r.Vuln.ID] {
			t.Errorf("%s modified = %s, want %s", r.Vuln.ID, got, want[r.Vuln.ID])
		}
	}
}

// TestModifiedFloors: without history, modified is the latest of the
// authored times; the resolution's upstream tag date never counts.
func TestModifiedFloors(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	want := map[string]string{
		"PSF-2024-9": "2024-08-19T19:06:45Z", // published, not the lock's tag date 2024-09-06
		"PSF-2007-1": "2018-10-15T20:57:01Z", // the authored floor
		"PSF-2023-2": "2023-04-01T00:00:00Z", // withdrawn
		"PSF-2023-7": "2023-10-03T00:00:00Z", // published
	}
	checkModified(t, root, want)
}

// TestModifiedFollowsProductFields: an edit of products.yaml that changes
// what reaches a product's records (its repo, its package) changes every
// record of that product, so it moves their `modified` to when it landed;
// the other product's records and an edit that reaches no record (a
// branch status) move nothing.
func TestModifiedFollowsProductFields(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	repo, err := git.PlainInit(root, false)
	if err != nil {
		t.Fatal(err)
	}
	commitAll(t, repo, "initial", time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC))
	want := map[string]string{
		"PSF-2024-9": "2025-01-01T10:00:00Z", "PSF-2007-1": "2025-01-01T10:00:00Z",
		"PSF-2023-2": "2025-01-01T10:00:00Z", "PSF-2023-7": "2025-01-01T10:00:00Z",
	}
	cfg := filepath.Join(root, "advisories/products.yaml")
	edit := func(from, to string) {
		t.Helper()
		data := string(mustRead(t, cfg))
		if !strings.Contains(data, from) {
			t.Fatalf("products.yaml lacks %q", from)
		}
		writeFile(t, cfg, []byte(strings.Replace(data, from, to, 1)))
	}

	edit(`"3.8": end-of-life`, `"3.8": security`)
	commitAll(t, repo, "a branch status", time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC))
	checkModified(t, root, want)

	edit("repo: https://github.com/python/cpython", "repo: https://github.com/python/cpython-moved")
	commitAll(t, repo, "CPython moved", time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC))
	for _, id := range []string{"PSF-2024-9", "PSF-2007-1", "PSF-2023-2"} { // the python records
		want[id] = "2025-03-01T10:00:00Z"
	}
	checkModified(t, root, want)

	// Uncommitted, it takes HEAD's time.
	edit("repo: https://github.com/pypa/pip", "repo: https://github.com/pypa/pip-moved")
	want["PSF-2023-7"] = "2025-03-01T10:00:00Z"
	checkModified(t, root, want)
}
