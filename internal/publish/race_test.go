package publish

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

// twoBuilds returns the published base and two later outputs: A updates
// PSF-2024-1; B, built after A's merge, has that update and adds PSF-2024-11.
func twoBuilds() (base, a, b []*osv.Record) {
	base = db(10, "2024-06-01T00:00:00Z")
	upd := bundletest.CPython(bundletest.Spec{ID: "PSF-2024-1", Modified: "2024-07-01T00:00:00Z", Aliases: []string{"CVE-2024-1000"},
		Versions: []string{"v3.12.0", "v3.12.1", "v3.12.2", "v3.12.3", "v3.12.4", "v3.12.5"}})
	a = append(db(10, "2024-06-01T00:00:00Z")[1:], upd)
	b = append(append(db(10, "2024-06-01T00:00:00Z")[1:], upd),
		bundletest.PipRecord(bundletest.Spec{ID: "PSF-2024-11", Modified: "2024-07-02T00:00:00Z"}))
	return base, a, b
}

// TestRaceRetriesOnTop lands a competing publish between B's fetch and B's
// push: B's push is rejected as non-fast-forward, B fetches, checks again
// and commits on top of A. Nothing is forced: A's commit is B's parent.
func TestRaceRetriesOnTop(t *testing.T) {
	remote := bareRemote(t)
	base, a, b := twoBuilds()
	mustPublish(t, opts(outputDir(t, base), remote))
	p0 := head(t, remote)
	dirA, dirB := outputDir(t, a), outputDir(t, b)
	var competitor *Result
	o := opts(dirB, "file://"+remote)
	var log strings.Builder
	o.Log = &log
	o.hook = func(step string) error {
		if step == "push" && competitor == nil {
			competitor = mustPublish(t, opts(dirA, remote))
		}
		return nil
	}
	res := mustPublish(t, o)
	if res.Attempts != 2 {
		t.Errorf("attempts %d, want 2", res.Attempts)
	}
	chain := gitOut(t, remote, "rev-list", "--first-parent", "main")
	want := strings.Join([]string{res.Commit, competitor.Commit, p0}, "\n")
	if chain != want {
		t.Fatalf("history\n%s\nwant B on A on the first publish\n%s", chain, want)
	}
	if !strings.Contains(show(t, remote, "advisories/python/PSF-2024-1.json"), "v3.12.5") {
		t.Error("A's change is lost")
	}
	if !strings.Contains(show(t, remote, "advisories/pip/PSF-2024-11.json"), "PSF-2024-11") {
		t.Error("B's change is missing")
	}
	if !strings.Contains(log.String(), "checking again on top (attempt 2 of 4)") {
		t.Errorf("log does not tell the retry:\n%s", log.String())
	}
	body := gitOut(t, remote, "log", "-1", "--format=%s", "main")
	if body != "Publish advisories: 1 added" {
		t.Errorf("B's commit, rebuilt on A, says %q", body)
	}
}

// TestRaceConcurrent runs two publishers at once, several times. Whatever
// the order, the remote ends with B's tree, every commit a publisher reported
// is in its history (nothing forced away), and a publisher that lost the race
// with a stale output is refused, never half-applied.
func TestRaceConcurrent(t *testing.T) {
	base, a, b := twoBuilds()
	dirBase, dirA, dirB := outputDir(t, base), outputDir(t, a), outputDir(t, b)
	for round := range 2 {
		remote := bareRemote(t)
		mustPublish(t, opts(dirBase, remote))
		var wg sync.WaitGroup
		results := make([]*Result, 2)
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, dir := range []string{dirA, dirB} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i], errs[i] = Publish(context.Background(), opts(dir, remote))
			}()
		}
		close(start)
		wg.Wait()
		if errs[1] != nil {
			t.Fatalf("round %d: B failed: %v", round, errs[1])
		}
		var refused *RefusedError
		if errs[0] != nil && !errors.As(errs[0], &refused) {
			t.Fatalf("round %d: A failed other than by a refusal: %v", round, errs[0])
		}
		if got := gitOut(t, remote, "rev-parse", "main^{tree}"); got != treeOf(t, dirB) {
			t.Fatalf("round %d: remote tree %s is not B's output", round, got)
		}
		for i, r := range results {
			if r != nil && r.Commit != "" {
				gitOut(t, remote, "merge-base", "--is-ancestor", r.Commit, "main")
				_ = i
			}
		}
	}
}

// treeOf is the git tree hash of a directory's files, by the git command.
func treeOf(t *testing.T, dir string) string {
	t.Helper()
	repo := t.TempDir()
	gitOut(t, repo, "init", "--quiet")
	gitOut(t, repo, "--work-tree", dir, "add", "--all", ".")
	return gitOut(t, repo, "write-tree")
}
