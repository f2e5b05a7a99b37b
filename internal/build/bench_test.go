package build

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/product"
)

// BenchmarkBuild lints and builds generated databases (records, bundle,
// site, SHA256SUMS), streaming as Run does and, in the same run, the batch
// way the build worked before (every record converted first, then the
// slices handed to bundle.Write and site.WriteOptions: the same bytes,
// TestStreamMatchesBatch), and reports the peak Go heap in use while it
// runs. The target for 10,000 advisories is under 4 s.
//
//	go test ./internal/build -run XXX -bench 'Build$' -benchtime 2x
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("advisories=%d", n), func(b *testing.B) {
			root := filepath.Join(b.TempDir(), "db")
			if err := bundletest.WriteDatabase(root, n, mustRead(b, productsFile)); err != nil {
				b.Fatal(err)
			}
			for _, way := range buildWays(root) {
				b.Run(way.name, func(b *testing.B) {
					out := filepath.Join(b.TempDir(), "public")
					var peak uint64
					for b.Loop() {
						p, err := peakHeap(func() error { return way.build(out) })
						if err != nil {
							b.Fatal(err)
						}
						peak = max(peak, p)
					}
					b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				})
			}
		})
	}
}

// buildWays are the two ways to build the database at root into out: the
// stream (Run) and the batch way (Records, then the slice writers).
func buildWays(root string) []struct {
	name  string
	build func(out string) error
} {
	return []struct {
		name  string
		build func(out string) error
	}{
		{"stream", func(out string) error {
			_, err := Run(Options{Root: root, Out: out, Now: now})
			return err
		}},
		{"batch", func(out string) error {
			recs, _, err := Records(root, now)
			if err != nil {
				return err
			}
			os.RemoveAll(out)
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			return writeBatch(out, recs)
		}},
	}
}

// heapInUse is the heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// peakHeap runs f and returns the most heap in use (runtime.MemStats
// HeapInuse) seen while it ran, sampled every 20 ms, after a collection
// before it starts.
func peakHeap(f func() error) (uint64, error) {
	runtime.GC()
	return sampleHeap(f)
}

// sampleHeap runs f and returns the most heap in use seen while it ran,
// sampled every 20 ms.
func sampleHeap(f func() error) (uint64, error) {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var top uint64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			top = max(top, ms.HeapInuse)
			select {
			case <-done:
				peak <- top
				return
			case <-tick.C:
			}
		}
	}()
	err := f()
	close(done)
	return <-peak, err
}

// BenchmarkBuildRoot builds the database at $BUILD_BENCH_ROOT (a gendb
// output, with or without -history), for profiling a build of any size:
//
//	BUILD_BENCH_ROOT=/tmp/db10k go test ./internal/build -run XXX -bench BuildRoot -benchtime 1x -cpuprofile /tmp/cpu.prof
func BenchmarkBuildRoot(b *testing.B) {
	root := os.Getenv("BUILD_BENCH_ROOT")
	if root == "" {
		b.Skip("BUILD_BENCH_ROOT is not set")
	}
	out := filepath.Join(b.TempDir(), "public")
	for range b.N {
		if _, err := Run(Options{Root: root, Out: out, Now: time.Now()}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJudgeableRoot reads the database at $BUILD_BENCH_ROOT as
// `advisory check` does from sources (Judgeable).
func BenchmarkJudgeableRoot(b *testing.B) {
	root := os.Getenv("BUILD_BENCH_ROOT")
	if root == "" {
		b.Skip("BUILD_BENCH_ROOT is not set")
	}
	for range b.N {
		if _, _, _, err := Judgeable(root, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistoryRoot dates the sources and lock entries of the database
// at $BUILD_BENCH_ROOT (a gendb -history output) from its history, the way
// the build does (trees compared, lock versions streamed from git cat-file
// and compared by entry, from the lock-dates cache of the run before:
// "cached"; or with no cache, read from the pack's deltas:
// "trees+pieces", or all through git cat-file: "trees+stream") and the way it did before
// (every path looked up in every commit's tree, every lock version read
// through go-git and decoded), in the same run. Run it
// on two databases that differ only in their number of lock versions to
// get the cost of one version:
//
//	gendb -n 10000 -history 30 -lockversions 20 -out /tmp/h20
//	gendb -n 10000 -history 30 -lockversions 1 -out /tmp/h1
//	BUILD_BENCH_ROOT=/tmp/h20 go test ./internal/build -run XXX -bench HistoryRoot
func BenchmarkHistoryRoot(b *testing.B) {
	root := os.Getenv("BUILD_BENCH_ROOT")
	if root == "" {
		b.Skip("BUILD_BENCH_ROOT is not set")
	}
	cfg, err := product.Load(root)
	if err != nil {
		b.Fatal(err)
	}
	locks, err := readLocks(root, cfg)
	if err != nil {
		b.Fatal(err)
	}
	as, ds := advisory.LoadAll(root, cfg)
	if ds.HasErrors() {
		b.Fatal(ds)
	}
	files := make([]string, len(as))
	for i, a := range as {
		files[i] = a.Path
	}
	for _, bc := range []struct {
		name                    string
		legacy, noCache, noPack bool
	}{{"cached", false, false, false}, {"trees+pieces", false, true, false}, {"trees+stream", false, true, true}, {"go-git+decode", true, true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			walk := func() {
				h, err := openHistory(root, time.Now())
				if err != nil || h == nil {
					b.Fatalf("%s is not a git repository: %v", root, err)
				}
				h.legacy, h.noCache, h.noPack = bc.legacy, bc.noCache, bc.noPack
				if _, err := h.Times(files, lockFiles(root, locks), product.ConfigPath(root), cfg); err != nil {
					b.Fatal(err)
				}
			}
			if !bc.noCache {
				walk() // the build before, which leaves the cache
			}
			var held, peak uint64
			for b.Loop() {
				b.StopTimer()
				held = heapInUse()
				b.StartTimer()
				peak, _ = sampleHeap(func() error { walk(); return nil })
			}
			// The most heap the walk held beyond what was in use before
			// it (the advisories and locks loaded above): an upper bound
			// on its live memory, garbage not yet swept included.
			b.ReportMetric(float64(peak-min(peak, held))/1e6, "walk-heap-MB")
		})
	}
}

// BenchmarkStreamWorkers builds 2,000 generated advisories with several
// worker counts for the stream, in the same run.
//
//	go test ./internal/build -run XXX -bench StreamWorkers -benchtime 3x
func BenchmarkStreamWorkers(b *testing.B) {
	root := filepath.Join(b.TempDir(), "db")
	if err := bundletest.WriteDatabase(root, 2000, mustRead(b, productsFile)); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "public")
	defer func(f func() int) { streamWorkers = f }(streamWorkers)
	for _, n := range []int{2, 4, 8} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			streamWorkers = func() int { return n }
			for b.Loop() {
				if _, err := Run(Options{Root: root, Out: out, Now: now}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
