package publish

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

// gitOut runs the git command (the oracle) in dir and returns its trimmed output.
func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// bareRemote creates an empty bare repository, the published remote.
func bareRemote(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "remote.git")
	gitOut(t, filepath.Dir(dir), "init", "--quiet", "--bare", "--initial-branch=main", dir)
	return dir
}

// copyRepo copies a bare repository, so subtests start from one publish.
func copyRepo(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "remote.git")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// head returns the remote branch's commit, or "" when it has none.
func head(t *testing.T, remote string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", remote, "rev-parse", "--verify", "--quiet", "refs/heads/main").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func commitCount(t *testing.T, remote string) int {
	t.Helper()
	if head(t, remote) == "" {
		return 0
	}
	n := 0
	for range strings.SplitSeq(gitOut(t, remote, "rev-list", "main"), "\n") {
		n++
	}
	return n
}

// show returns a file of the remote branch.
func show(t *testing.T, remote, path string) string {
	t.Helper()
	return gitOut(t, remote, "show", "main:"+path)
}

// outputDir writes a complete build output of recs (bundle, a stand-in
// site page, SHA256SUMS).
func outputDir(t *testing.T, recs []*osv.Record) string {
	var page bytes.Buffer
	page.WriteString("<!doctype html><title>PSF advisories</title><ul>\n")
	for _, r := range recs {
		page.WriteString("<li>" + r.Vuln.ID + "\n")
	}
	return bundletest.Output(t, recs, map[string][]byte{"index.html": page.Bytes()})
}

// db returns n CPython records PSF-2024-1..n with the given modified time.
func db(n int, modified string) []*osv.Record {
	recs := make([]*osv.Record, n)
	for i := range recs {
		id := "PSF-2024-" + itoa(i+1)
		recs[i] = bundletest.CPython(bundletest.Spec{ID: id, Modified: modified, Aliases: []string{"CVE-2024-" + itoa(1000+i)}})
	}
	return recs
}

func opts(dir, remote string) Options {
	return Options{Dir: dir, Remote: remote, WorkDir: ""}
}

func mustPublish(t *testing.T, o Options) *Result {
	t.Helper()
	res, err := Publish(context.Background(), o)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return res
}

func itoa(i int) string { return strconv.Itoa(i) }
