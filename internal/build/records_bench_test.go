package build

import (
	"path/filepath"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
)

// BenchmarkRecords measures load, lint, conversion and schema validation of
// 1,000 generated advisories, without writing anything.
func BenchmarkRecords(b *testing.B) {
	root := filepath.Join(b.TempDir(), "db")
	if err := bundletest.WriteDatabase(root, 1000, mustRead(b, productsFile)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, _, err := Records(root, now); err != nil {
			b.Fatal(err)
		}
	}
}
