package build

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

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
