package bundletest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWriteHistory: the history has the commits and lock versions asked
// for, and the work tree is its HEAD, whose advisories are WriteDatabase's.
func TestWriteHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	products, err := os.ReadFile("../../../advisories/products.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	root, plain := filepath.Join(dir, "h"), filepath.Join(dir, "plain")
	h := History{Commits: 7, LockVersions: 3, Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := WriteHistory(root, 40, products, h); err != nil {
		t.Fatal(err)
	}
	if err := WriteDatabase(plain, 40, products); err != nil {
		t.Fatal(err)
	}
	gitOut := func(args ...string) string {
		out, err := exec.Command("git", append([]string{"-C", root}, args...)...).Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	if n := len(strings.Fields(gitOut("rev-list", "--first-parent", "HEAD"))); n != h.Commits {
		t.Errorf("%d commits, want %d", n, h.Commits)
	}
	if n := len(strings.Fields(gitOut("log", "--format=%H", "--", "advisories/python.lock.json", "advisories/pip.lock.json"))); n != h.LockVersions {
		t.Errorf("%d lock versions, want %d", n, h.LockVersions)
	}
	if st := gitOut("status", "--porcelain"); st != "" {
		t.Errorf("the work tree is not HEAD:\n%s", st)
	}
	for _, f := range []string{"advisories/python/PSF-2015-1.yaml", "advisories/pip/PSF-2017-3.yaml", "advisories/products.yaml"} {
		a, _ := os.ReadFile(filepath.Join(root, f))
		b, _ := os.ReadFile(filepath.Join(plain, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs from WriteDatabase's", f)
		}
	}
}
