package build

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
)

// BenchmarkBuild lints and builds generated databases (records, bundle,
// site, SHA256SUMS) and reports the peak Go heap in use. The target for
// 10,000 advisories is under 5 s and 500 MB.
//
//	go test ./internal/build -run XXX -bench Build -benchtime 3x
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("advisories=%d", n), func(b *testing.B) {
			root := filepath.Join(b.TempDir(), "db")
			if err := bundletest.WriteDatabase(root, n, mustRead(b, productsFile)); err != nil {
				b.Fatal(err)
			}
			out := filepath.Join(b.TempDir(), "public")
			var peak uint64
			b.ResetTimer()
			for range b.N {
				if _, err := Run(Options{Root: root, Out: out, Now: now}); err != nil {
					b.Fatal(err)
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapSys)
			}
			b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
		})
	}
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
