package synth

import (
	"os/exec"
	"strings"
	"testing"
)

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

func TestCreate(t *testing.T) {
	dir := t.TempDir() + "/repo"
	h, hashes, err := Create(dir, Params{Commits: 1500, Series: 5, Live: 2, ReleaseEvery: 10, FixRate: 0.05, MergeRate: 0.05, Roots: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Fields(git(t, dir, "tag"))); n != len(h.Tags) || n < 20 {
		t.Errorf("%d tags in the repository, %d generated", n, len(h.Tags))
	}
	heads := git(t, dir, "for-each-ref", "--format=%(refname:short)", "refs/heads")
	for _, b := range h.Deleted {
		if strings.Contains(heads, b+"\n") {
			t.Errorf("deleted branch %s still exists", b)
		}
	}
	if len(h.Branches) != 2 || len(h.Deleted) != 5 { // 3 end-of-life series + 2 import lines
		t.Errorf("branches %v, deleted %v", h.Branches, h.Deleted)
	}
	if roots := strings.Fields(git(t, dir, "rev-list", "--max-parents=0", "--all")); len(roots) != 3 {
		t.Errorf("%d roots, want 3", len(roots))
	}
	for _, f := range h.Fixes {
		if len(hashes[f.Mark]) != 40 {
			t.Fatalf("fix mark %d has no hash", f.Mark)
		}
		msg := git(t, dir, "log", "-1", "--format=%s", hashes[f.Mark])
		if !strings.Contains(msg, "Fix a security issue") {
			t.Errorf("fix %s: %q", hashes[f.Mark], msg)
		}
		for _, b := range f.Backports {
			if msg := git(t, dir, "log", "-1", "--format=%s", hashes[b]); !strings.HasPrefix(msg, "[3.") {
				t.Errorf("backport title %q", msg)
			}
		}
	}
}
