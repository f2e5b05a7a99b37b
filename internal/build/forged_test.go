package build

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const forged = "2099-12-31T23:59:59Z"

// gitAt runs git in dir as a committer whose dates are the given ones
// (author and committer), with no user or system configuration.
func gitAt(t *testing.T, dir, author, committer string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=T", "-c", "user.email=t@example.org",
		"-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_DATE="+author, "GIT_COMMITTER_DATE="+committer)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// prRepo makes a database whose main line has the fixture at 2025-01-01 and
// a branch "pr" editing PSF-2007-1 with the given author and committer dates.
func prRepo(t *testing.T, author, committer string) string {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	const t1 = "2025-01-01T10:00:00Z"
	gitAt(t, root, t1, t1, "init", "-q")
	gitAt(t, root, t1, t1, "add", "-A")
	gitAt(t, root, t1, t1, "commit", "-q", "-m", "initial")
	gitAt(t, root, t1, t1, "checkout", "-q", "-b", "pr")
	src := filepath.Join(root, "advisories/python/PSF-2007-1.yaml")
	writeFile(t, src, append(mustRead(t, src), []byte("notes: from a contributor\n")...))
	gitAt(t, root, author, committer, "commit", "-q", "-a", "-m", "contributor change")
	gitAt(t, root, t1, t1, "checkout", "-q", "main")
	return root
}

// TestModifiedIgnoresContributorDates: a contributor's commit dates never
// move `modified` past the time the change landed on the main line, whatever
// the merge shape; a later main-line commit vouches for an earlier one.
func TestModifiedIgnoresContributorDates(t *testing.T) {
	const landed, later = "2025-03-01T10:00:00Z", "2025-04-01T10:00:00Z"
	untouched := map[string]string{
		"PSF-2024-9": "2025-01-01T10:00:00Z", "PSF-2023-2": "2025-01-01T10:00:00Z",
		"PSF-2023-7": "2025-01-01T10:00:00Z",
	}
	tests := []struct {
		name              string
		author, committer string
		land              func(t *testing.T, root string)
		want              string
	}{
		{"merge, forged committer", forged, forged, func(t *testing.T, root string) {
			gitAt(t, root, landed, landed, "merge", "-q", "--no-ff", "-m", "merge pr", "pr")
		}, landed},
		{"merge, forged author", forged, "2025-02-01T10:00:00Z", func(t *testing.T, root string) {
			gitAt(t, root, landed, landed, "merge", "-q", "--no-ff", "-m", "merge pr", "pr")
		}, landed},
		{"merge of a back-dated branch", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", func(t *testing.T, root string) {
			gitAt(t, root, landed, landed, "merge", "-q", "--no-ff", "-m", "merge pr", "pr")
		}, landed},
		{"squash keeping the forged author", forged, forged, func(t *testing.T, root string) {
			gitAt(t, root, landed, landed, "merge", "-q", "--squash", "pr")
			gitAt(t, root, forged, landed, "commit", "-q", "-m", "squashed pr")
		}, landed},
		{"fast-forward, vouched by a later commit", forged, forged, func(t *testing.T, root string) {
			gitAt(t, root, landed, landed, "merge", "-q", "--ff-only", "pr")
			writeFile(t, filepath.Join(root, "README"), []byte("later\n"))
			gitAt(t, root, later, later, "add", "README")
			gitAt(t, root, later, later, "commit", "-q", "-m", "later")
		}, later},
		{"rebase onto main, then fast-forward", forged, forged, func(t *testing.T, root string) {
			const mid = "2025-02-15T10:00:00Z"
			writeFile(t, filepath.Join(root, "README"), []byte("meanwhile\n"))
			gitAt(t, root, mid, mid, "add", "README")
			gitAt(t, root, mid, mid, "commit", "-q", "-m", "meanwhile")
			gitAt(t, root, forged, landed, "rebase", "-q", "main", "pr")
			gitAt(t, root, landed, landed, "checkout", "-q", "main")
			gitAt(t, root, landed, landed, "merge", "-q", "--ff-only", "pr")
		}, landed},
		{"rebase keeping the forged dates, vouched by a later commit", forged, forged, func(t *testing.T, root string) {
			gitAt(t, root, forged, forged, "rebase", "-q", "--committer-date-is-author-date", "main", "pr")
			gitAt(t, root, landed, landed, "checkout", "-q", "main")
			gitAt(t, root, landed, landed, "merge", "-q", "--ff-only", "pr")
			writeFile(t, filepath.Join(root, "README"), []byte("later\n"))
			gitAt(t, root, later, later, "add", "README")
			gitAt(t, root, later, later, "commit", "-q", "-m", "later")
		}, later},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := prRepo(t, tc.author, tc.committer)
			tc.land(t, root)
			want := map[string]string{"PSF-2007-1": tc.want}
			for id, m := range untouched {
				want[id] = m
			}
			checkModified(t, root, want)
		})
	}
}

// TestFutureHeadStopsTheBuild: a fast-forwarded commit dated after the
// build's clock has nothing to vouch for it; the build refuses it and
// writes nothing.
func TestFutureHeadStopsTheBuild(t *testing.T) {
	root := prRepo(t, forged, forged)
	gitAt(t, root, forged, forged, "merge", "-q", "--ff-only", "pr")
	out := filepath.Join(t.TempDir(), "out")
	_, err := Run(Options{Root: root, Out: out, Now: now})
	if err == nil || !strings.Contains(err.Error(), "after the current time") || !strings.Contains(err.Error(), forged) {
		t.Fatalf("err = %v, want a refusal of the future-dated HEAD", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output written despite the refusal: %v", err)
	}
}

// TestJudgeableSkipsHistory: `advisory check` from sources never
// shows modified, so it does not read the history: the future-dated HEAD
// that stops a build does not stop it, and modified is the authored floor.
func TestJudgeableSkipsHistory(t *testing.T) {
	root := prRepo(t, forged, forged)
	gitAt(t, root, forged, forged, "merge", "-q", "--ff-only", "pr")
	if _, _, err := Records(root, now); err == nil {
		t.Fatal("Records read a future-dated HEAD")
	}
	recs, _, _, err := Judgeable(root, now)
	if err != nil {
		t.Fatalf("Judgeable: %v", err)
	}
	for _, r := range recs {
		if r.Vuln.ID == "PSF-2007-1" && r.Vuln.Modified != "2018-10-15T20:57:01Z" {
			t.Errorf("PSF-2007-1 modified = %s, want the authored floor", r.Vuln.Modified)
		}
	}
}
