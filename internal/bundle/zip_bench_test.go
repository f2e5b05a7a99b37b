package bundle_test

import (
	"bytes"
	"compress/flate"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

// BenchmarkDeflateLevel compresses 2,000 generated records the way the
// archives do (deflate: the fastest level, one reused writer) and, in the
// same run, at the default level the archives used before, reporting the
// time per record and the compressed size as a share of the records'.
//
//	go test ./internal/bundle -run '^$' -bench DeflateLevel
func BenchmarkDeflateLevel(b *testing.B) {
	var datas [][]byte
	total := 0
	for _, r := range bundletest.Generate(2000) {
		data, err := osv.Marshal(r.Vuln)
		if err != nil {
			b.Fatal(err)
		}
		datas = append(datas, data)
		total += len(data)
	}
	report := func(b *testing.B, out int) {
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(datas)), "µs/record")
		b.ReportMetric(float64(out)/float64(total), "size-ratio")
	}
	b.Run("archives", func(b *testing.B) {
		out := 0
		for b.Loop() {
			out = 0
			for _, d := range datas {
				out += bundle.DeflatedSize(d)
			}
		}
		report(b, out)
	})
	b.Run("default-level", func(b *testing.B) {
		var buf bytes.Buffer
		fw, err := flate.NewWriter(&buf, flate.DefaultCompression)
		if err != nil {
			b.Fatal(err)
		}
		out := 0
		for b.Loop() {
			out = 0
			for _, d := range datas {
				buf.Reset()
				fw.Reset(&buf)
				_, _ = fw.Write(d)
				_ = fw.Close()
				out += buf.Len()
			}
		}
		report(b, out)
	})
}
