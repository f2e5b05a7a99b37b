package gitgraph_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/version"
)

var tagRE = regexp.MustCompile(version.DefaultTagPattern)

func gitCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func open(t *testing.T, dir string, opts gitgraph.Options) *gitgraph.Graph {
	t.Helper()
	if opts.CacheDir == "" {
		opts.NoCache = true
	}
	g, err := gitgraph.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestOpenCPythonShape(t *testing.T) {
	for _, bare := range []bool{false, true} {
		dir := t.TempDir()
		r := gittest.CPython(t, dir, bare)
		g := open(t, dir, gitgraph.Options{})
		want := strings.Fields(gitCmd(t, dir, "rev-list", "--branches", "--tags", "--remotes", "HEAD"))
		if g.Len() != len(want) {
			t.Fatalf("bare=%v: %d commits, git says %d", bare, g.Len(), len(want))
		}
		for c := 0; c < g.Len(); c++ {
			for _, p := range g.Parents(uint32(c)) {
				if p >= uint32(c) {
					t.Fatalf("parent %d of %d breaks topological order", p, c)
				}
			}
		}
		tags, skipped := g.Tags(tagRE)
		var names []string
		for _, tg := range tags {
			names = append(names, tg.Name)
			if got := g.Hash(tg.Commit).String(); got != strings.TrimSpace(gitCmd(t, dir, "rev-parse", tg.Name+"^{commit}")) {
				t.Errorf("tag %s peels to %s", tg.Name, got)
			}
		}
		wantTags := []string{"v3.8.0a1", "v3.8.0", "v3.8.1", "v3.9.0", "v3.9.1", "v3.10.0a1", "v3.10.0", "v3.10.1", "v3.10.2", "v3.11.0a1", "v3.11.0", "v3.11.1", "v3.12.0a1"}
		if !slices.Equal(names, wantTags) || len(skipped) != 0 {
			t.Errorf("tags = %v (skipped %v), want %v", names, skipped, wantTags)
		}
		if c, ok := g.Branch("main"); !ok || g.Hash(c) != r.Hash("m8") {
			t.Errorf("main head not found")
		}
		if _, ok := g.Branch("3.8"); ok {
			t.Errorf("deleted branch 3.8 found")
		}
		if c, err := g.Lookup(r.Hex("m7")[:9]); err != nil || g.Hash(c) != r.Hash("m7") {
			t.Errorf("prefix lookup: %v", err)
		}
		var nf *gitgraph.NotFoundError
		if _, err := g.Lookup(strings.Repeat("ab", 20)); !errors.As(err, &nf) {
			t.Errorf("lookup of an unknown commit: %v", err)
		}
	}
}

func TestTagDates(t *testing.T) {
	dir := t.TempDir()
	r := gittest.CPython(t, dir, true)
	g := open(t, dir, gitgraph.Options{})
	tags, _ := g.Tags(tagRE)
	for _, tg := range tags {
		c := g.Time(tg.Commit)
		switch tg.Name {
		case "v3.8.0a1", "v3.8.1": // lightweight: the commit's time
			if tg.Time != c {
				t.Errorf("%s: time %d, want commit time %d", tg.Name, tg.Time, c)
			}
		case "v3.12.0a1": // annotated: the tagger's time
			if tg.Time != c+60 {
				t.Errorf("%s: time %d, want %d", tg.Name, tg.Time, c+60)
			}
		}
	}
	_ = r
}

func TestCacheAndCommitGraph(t *testing.T) {
	dir := t.TempDir()
	gittest.CPython(t, dir, true)
	cache := t.TempDir()
	cold := open(t, dir, gitgraph.Options{CacheDir: cache})
	warm := open(t, dir, gitgraph.Options{CacheDir: cache})
	if cold.FromCache || !warm.FromCache {
		t.Fatalf("FromCache cold=%v warm=%v", cold.FromCache, warm.FromCache)
	}
	sameGraph(t, cold, warm)
	gitCmd(t, dir, "commit-graph", "write", "--reachable")
	cg := open(t, dir, gitgraph.Options{})
	if !cg.UsedCommitGraph {
		t.Fatal("commit-graph not used")
	}
	sameGraph(t, cold, cg)
	// A new ref changes the key: the cache is not used.
	gitCmd(t, dir, "tag", "v3.12.0a2", "main")
	after := open(t, dir, gitgraph.Options{CacheDir: cache})
	if after.FromCache {
		t.Fatal("stale cache used after a new tag")
	}
	if tags, _ := after.Tags(tagRE); tags[len(tags)-1].Name != "v3.12.0a2" {
		t.Fatal("new tag not seen")
	}
}

func sameGraph(t *testing.T, a, b *gitgraph.Graph) {
	t.Helper()
	if a.Len() != b.Len() || !slices.Equal(a.Refs(), b.Refs()) {
		t.Fatalf("graphs differ: %d vs %d commits", a.Len(), b.Len())
	}
	for c := uint32(0); c < uint32(a.Len()); c++ {
		if a.Hash(c) != b.Hash(c) || !slices.Equal(a.Parents(c), b.Parents(c)) || a.Time(c) != b.Time(c) {
			t.Fatalf("commit %d differs", c)
		}
	}
}

func TestMessages(t *testing.T) {
	dir := t.TempDir()
	r := gittest.CPython(t, dir, true)
	cache := t.TempDir()
	for round := 0; round < 2; round++ {
		g := open(t, dir, gitgraph.Options{CacheDir: cache})
		m, err := g.Messages(gitgraph.Options{CacheDir: cache})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := g.Lookup(r.Hex("b310_2"))
		if !slices.Equal(m.Picked[c], []string{r.Hex("m7")}) {
			t.Errorf("trailer of b310_2: %v", m.Picked[c])
		}
		if gitgraph.TitleBranch(m.Title(c)) != "3.10" || !slices.Equal(gitgraph.GHRefs(m.Title(c)), []int{123075}) {
			t.Errorf("title of b310_2: %q", m.Title(c))
		}
		rv, _ := g.Lookup(r.Hex("b311_3"))
		if !slices.Equal(m.Reverts[rv], []string{r.Hex("b311_2")}) || gitgraph.GHRefs(m.Title(rv)) != nil {
			t.Errorf("revert b311_3: %v %q", m.Reverts[rv], m.Title(rv))
		}
		m7, _ := g.Lookup(r.Hex("m7"))
		if gitgraph.PRNumber(m.Title(m7)) != 123075 {
			t.Errorf("PR of m7: %q", m.Title(m7))
		}
	}
}

func TestRefusesShallowClone(t *testing.T) {
	src := t.TempDir()
	gittest.CPython(t, src, false)
	dst := filepath.Join(t.TempDir(), "shallow")
	gitCmd(t, src, "clone", "-q", "--depth", "1", "file://"+src, dst)
	_, err := gitgraph.Open(dst, gitgraph.Options{NoCache: true})
	if !errors.Is(err, gitgraph.ErrShallow) {
		t.Fatalf("shallow clone: %v", err)
	}
}

func TestMissingObject(t *testing.T) {
	dir := t.TempDir()
	r := gittest.CPython(t, dir, true)
	h := r.Hex("b39_1")
	if err := os.Remove(filepath.Join(dir, "objects", h[:2], h[2:])); err != nil {
		t.Fatal(err)
	}
	_, err := gitgraph.Open(dir, gitgraph.Options{NoCache: true})
	var me *gitgraph.MissingObjectError
	if !errors.As(err, &me) || me.Hash.String() != h {
		t.Fatalf("missing object: %v", err)
	}
	if !strings.Contains(err.Error(), "missing") {
		t.Errorf("error does not say what is wrong: %v", err)
	}
}

func TestNotARepository(t *testing.T) {
	_, err := gitgraph.Open(t.TempDir(), gitgraph.Options{NoCache: true})
	if err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Fatalf("got %v", err)
	}
}

// TestMessagesIncremental: after a fetch adds commits, the message cache of
// the old refs serves the old commits and only the new ones are read.
func TestMessagesIncremental(t *testing.T) {
	dir := t.TempDir()
	r := gittest.CPython(t, dir, true)
	cache := t.TempDir()
	g := open(t, dir, gitgraph.Options{CacheDir: cache})
	if _, err := g.Messages(gitgraph.Options{CacheDir: cache}); err != nil {
		t.Fatal(err)
	}
	msg := "[3.11] gh-123067: Fix again (GH-123075) (#123200)\n\n(cherry picked from commit " + r.Hex("m7") + ")"
	tree := strings.TrimSpace(gitCmd(t, dir, "rev-parse", "3.11^{tree}"))
	cmd := exec.Command("git", "-C", dir, "commit-tree", tree, "-p", "3.11", "-m", msg)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.org", "GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@example.org")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	newCommit := strings.TrimSpace(string(out))
	gitCmd(t, dir, "update-ref", "refs/heads/3.11", newCommit)
	g2 := open(t, dir, gitgraph.Options{CacheDir: cache})
	m, err := g2.Messages(gitgraph.Options{CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := g2.Lookup(newCommit)
	old, _ := g2.Lookup(r.Hex("b310_2"))
	if !strings.HasPrefix(m.Title(c), "[3.11] gh-123067: Fix again") || !slices.Equal(m.Picked[c], []string{r.Hex("m7")}) {
		t.Errorf("new commit: %q %v", m.Title(c), m.Picked[c])
	}
	if !strings.HasPrefix(m.Title(old), "[3.10] gh-123067") || len(m.Picked[old]) != 1 {
		t.Errorf("reused commit: %q %v", m.Title(old), m.Picked[old])
	}
}

func TestRefusesRewrittenHistory(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string, r *gittest.Repo)
		want  string
	}{
		{"grafts", func(t *testing.T, dir string, r *gittest.Repo) {
			os.MkdirAll(filepath.Join(dir, "info"), 0o755)
			os.WriteFile(filepath.Join(dir, "info", "grafts"), []byte(r.Hex("m3")+"\n"), 0o644)
		}, "info/grafts"},
		{"replace ref", func(t *testing.T, dir string, r *gittest.Repo) {
			gitCmd(t, dir, "update-ref", "refs/replace/"+r.Hex("m3"), r.Hex("m2"))
		}, "replace ref"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		r := gittest.CPython(t, dir, true)
		tt.setup(t, dir, r)
		_, err := gitgraph.Open(dir, gitgraph.Options{NoCache: true})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error mentioning %q", tt.name, err, tt.want)
		}
	}
}

// TestLinkedWorktree: a linked work tree (a .git file pointing into the main
// repository) opens with the main repository's refs.
func TestLinkedWorktree(t *testing.T) {
	dir := t.TempDir()
	gittest.CPython(t, dir, false)
	wt := filepath.Join(t.TempDir(), "wt")
	gitCmd(t, dir, "worktree", "add", "-q", "--detach", wt, "3.10")
	g, err := gitgraph.Open(wt, gitgraph.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if tags, _ := g.Tags(tagRE); len(tags) != 13 {
		t.Errorf("%d tags through the linked work tree", len(tags))
	}
}

// TestCorruptCache: a damaged cache entry is ignored (the graph is loaded
// again), never trusted and never a crash.
func TestCorruptCache(t *testing.T) {
	dir := t.TempDir()
	gittest.CPython(t, dir, true)
	cache := t.TempDir()
	g := open(t, dir, gitgraph.Options{CacheDir: cache})
	if _, err := g.Messages(gitgraph.Options{CacheDir: cache}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "*"))
	if len(files) != 2 {
		t.Fatalf("cache files: %v", files)
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		data[len(data)-40] ^= 1 // one bit, deep in the payload
		os.WriteFile(f, data, 0o644)
	}
	g2 := open(t, dir, gitgraph.Options{CacheDir: cache})
	if g2.FromCache {
		t.Fatal("corrupt cache used")
	}
	sameGraph(t, g, g2)
	if _, err := g2.Messages(gitgraph.Options{CacheDir: cache}); err != nil {
		t.Fatal(err)
	}
}
