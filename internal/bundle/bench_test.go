package bundle_test

import (
	"archive/zip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

// BenchmarkWrite measures bundle.Write + WriteSums over generated records.
// The 100,000-record case runs only with ADVISORY_BENCH_LARGE=1:
//
//	ADVISORY_BENCH_LARGE=1 go test -run '^$' -bench Write -benchtime 1x -benchmem ./internal/bundle/
func BenchmarkWrite(b *testing.B) {
	sizes := []int{1000, 10000}
	if os.Getenv("ADVISORY_BENCH_LARGE") != "" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		recs := bundletest.Generate(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				root, err := os.OpenRoot(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				if err := bundle.Write(root, recs); err != nil {
					b.Fatal(err)
				}
				if err := bundle.WriteSums(root); err != nil {
					b.Fatal(err)
				}
				root.Close()
			}
		})
	}
}

// BenchmarkWriteVsPlain compares bundle.Write with the plain way of writing
// the same records and archives: archive/zip CreateHeader with
// deflate for every entry of every archive, one goroutine.
func BenchmarkWriteVsPlain(b *testing.B) {
	recs := bundletest.Generate(10000)
	b.Run("bundle", func(b *testing.B) {
		for b.Loop() {
			root, _ := os.OpenRoot(b.TempDir())
			if err := bundle.Write(root, recs); err != nil {
				b.Fatal(err)
			}
			root.Close()
		}
	})
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			if err := plainWrite(b.TempDir(), recs); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func plainWrite(dir string, recs []*osv.Record) error {
	sorted := append([]*osv.Record(nil), recs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Vuln.ID < sorted[j].Vuln.ID })
	byEco := map[string][]*osv.Record{}
	for _, r := range sorted {
		for _, p := range []string{filepath.Join(dir, "advisories", r.Product.Name)} {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(p, r.Vuln.ID+".json"), r.JSON, 0o644); err != nil {
				return err
			}
		}
		byEco[r.Product.Ecosystem()] = append(byEco[r.Product.Ecosystem()], r)
	}
	if err := plainZip(filepath.Join(dir, "all.zip"), sorted); err != nil {
		return err
	}
	for eco, rs := range byEco {
		for _, p := range []string{filepath.Join(dir, eco), filepath.Join(dir, "osv-scalibr", eco)} {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
			if err := plainZip(filepath.Join(p, "all.zip"), rs); err != nil {
				return err
			}
		}
	}
	return nil
}

func plainZip(path string, recs []*osv.Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, r := range recs {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: r.Vuln.ID + ".json", Method: zip.Deflate, Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		if _, err := w.Write(r.JSON); err != nil {
			return err
		}
	}
	return zw.Close()
}

// BenchmarkWriteWorkers compares writing and hashing files on one goroutine
// with the default pool.
func BenchmarkWriteWorkers(b *testing.B) {
	recs := bundletest.Generate(5000)
	for _, w := range []int{1, 8} {
		b.Run("workers="+strconv.Itoa(w), func(b *testing.B) {
			bundle.SetIOWorkers(w)
			defer bundle.SetIOWorkers(8)
			for b.Loop() {
				root, _ := os.OpenRoot(b.TempDir())
				if err := bundle.Write(root, recs); err != nil {
					b.Fatal(err)
				}
				if err := bundle.WriteSums(root); err != nil {
					b.Fatal(err)
				}
				root.Close()
			}
		})
	}
}
