package resolve

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/synth"
	"github.com/psf/advisory-builder/internal/version"
)

// The benchmarks use the repository in $RESOLVE_BENCH_REPO (for example the
// one `go run ./cmd/resolvebench` generates), else generate a 20,000-commit
// one once per run.
var benchRepo struct {
	once sync.Once
	dir  string
	err  error
}

// TestMain removes the generated benchmark repository.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchRepo.dir != "" && os.Getenv("RESOLVE_BENCH_REPO") == "" {
		os.RemoveAll(filepath.Dir(benchRepo.dir))
	}
	os.Exit(code)
}

func benchDir(b *testing.B) string {
	benchRepo.once.Do(func() {
		if d := os.Getenv("RESOLVE_BENCH_REPO"); d != "" {
			benchRepo.dir = d
			return
		}
		d, err := os.MkdirTemp("", "resolve-bench-")
		if err != nil {
			benchRepo.err = err
			return
		}
		benchRepo.dir = d + "/repo"
		_, _, benchRepo.err = synth.Create(benchRepo.dir, synth.Params{Commits: 20000, Series: 12, Live: 8, ReleaseEvery: 30, FixRate: 0.02, MergeRate: 0.01, Seed: 3})
		if benchRepo.err == nil {
			benchRepo.err = exec.Command("git", "-C", benchRepo.dir, "commit-graph", "write", "--reachable").Run()
		}
	})
	if benchRepo.err != nil {
		b.Fatal(benchRepo.err)
	}
	return benchRepo.dir
}

func benchGraph(b *testing.B) *gitgraph.Graph {
	g, err := gitgraph.Open(benchDir(b), gitgraph.Options{NoCache: true})
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// BenchmarkResolveOpenCold loads the graph with the commit-graph, no cache.
func BenchmarkResolveOpenCold(b *testing.B) {
	dir := benchDir(b)
	for b.Loop() {
		if _, err := gitgraph.Open(dir, gitgraph.Options{NoCache: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolveOpenWarm loads the graph from the cache.
func BenchmarkResolveOpenWarm(b *testing.B) {
	dir, cache := benchDir(b), b.TempDir()
	if _, err := gitgraph.Open(dir, gitgraph.Options{CacheDir: cache}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		g, err := gitgraph.Open(dir, gitgraph.Options{CacheDir: cache})
		if err != nil || !g.FromCache {
			b.Fatal("cache not used", err)
		}
	}
}

// BenchmarkResolveIndex builds the tag-reachability bitsets.
func BenchmarkResolveIndex(b *testing.B) {
	g := benchGraph(b)
	re := regexp.MustCompile(version.DefaultTagPattern)
	for b.Loop() {
		NewForGraph(g, re)
	}
}

// BenchmarkResolveBatch resolves 150 ranges of 7 fixes each (introduced
// "0" and a specific commit) over an indexed graph.
func BenchmarkResolveBatch(b *testing.B) {
	g := benchGraph(b)
	r := NewForGraph(g, regexp.MustCompile(version.DefaultTagPattern))
	var ranges []Range
	for k := 0; k < 150; k++ {
		rg := Range{Introduced: []uint32{Origin}}
		if k%5 == 4 {
			rg.Introduced = []uint32{uint32(k * 7 % g.Len())}
		}
		for j := 0; j < 7; j++ {
			rg.Fixed = append(rg.Fixed, uint32((k*7919+j*104729)%g.Len()))
			rg.FixedFrom = append(rg.FixedFrom, -1)
		}
		ranges = append(ranges, rg)
	}
	for b.Loop() {
		for _, res := range r.ResolveAll(ranges) {
			res.Versions()
		}
	}
}

// benchBatch is the batch of $RESOLVE_BENCH_BATCH (resolvebench -keep
// leaves one in its work directory), else 150 ranges of 7 fixes each.
func benchBatch(b *testing.B, g *gitgraph.Graph) []Input {
	if name := os.Getenv("RESOLVE_BENCH_BATCH"); name != "" {
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		batch, err := ReadBatch(f, name)
		if err != nil {
			b.Fatal(err)
		}
		return batch
	}
	var batch []Input
	for k := 0; k < 150; k++ {
		in := Input{ID: fmt.Sprint(k), Introduced: []string{"0"}}
		if k%5 == 4 {
			in.Introduced = []string{g.Hash(uint32(k * 7 % g.Len())).String()}
		}
		for j := 0; j < 7; j++ {
			in.Fixed = append(in.Fixed, g.Hash(uint32((k*7919+j*104729)%g.Len())).String())
		}
		batch = append(batch, in)
	}
	return batch
}

// versionsBatch is what `advisory versions --batch` does: load (cached in
// cache, or not at all when cache is ""), index the tips, resolve, write.
func versionsBatch(b *testing.B, dir, cache string, batch []Input) *gitgraph.Graph {
	g, err := gitgraph.Open(dir, gitgraph.Options{CacheDir: cache, NoCache: cache == ""})
	if err != nil {
		b.Fatal(err)
	}
	r := NewForGraph(g, regexp.MustCompile(version.DefaultTagPattern))
	if batch != nil {
		if err := r.WriteBatch(io.Discard, batch, "batch"); err != nil {
			b.Fatal(err)
		}
	}
	return g
}

// BenchmarkVersionsBatchCold is a cold `versions --batch`: an empty cache
// each time, filled by the run (graph and tip table written).
func BenchmarkVersionsBatchCold(b *testing.B) {
	dir := benchDir(b)
	batch := benchBatch(b, versionsBatch(b, dir, "", nil))
	root := b.TempDir()
	k := 0
	for b.Loop() {
		k++
		versionsBatch(b, dir, filepath.Join(root, fmt.Sprint(k)), batch)
	}
}

// BenchmarkVersionsBatchWarm is a warm `versions --batch`: everything from
// the cache.
func BenchmarkVersionsBatchWarm(b *testing.B) {
	dir, cache := benchDir(b), b.TempDir()
	batch := benchBatch(b, versionsBatch(b, dir, cache, nil))
	versionsBatch(b, dir, cache, batch)
	for b.Loop() {
		if g := versionsBatch(b, dir, cache, batch); !g.FromCache {
			b.Fatal("cache not used")
		}
	}
}
