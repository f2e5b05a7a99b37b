package osv_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/osv/osvtest"
)

// BenchmarkValidate measures one record's validation (a CPython record with
// a GIT range, versions, CVSS 4.0 and credits), against the alternatives in
// the same run: the official schema through the same validator, and the
// OSV protobuf decode. Multiply ns/op by 10,000 for a database build.
//
//	go test ./internal/osv/ -run '^$' -bench '^BenchmarkValidate$' -benchmem
func BenchmarkValidate(b *testing.B) {
	data := []byte(baseRecord)
	official := osvtest.Official(b)
	for _, bc := range []struct {
		name string
		fn   func([]byte) error
	}{
		{"ours", osv.Validate},
		{"strict", osv.ValidateStrict},
		{"official", official.Validate},
		{"protobuf", func(d []byte) error { _, err := osvtest.DecodeProto(d); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := bc.fn(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSharedRecords validates all 83 shared real records per op.
func BenchmarkSharedRecords(b *testing.B) {
	recs := sharedRecords(b)
	var all [][]byte
	for _, d := range recs {
		all = append(all, d)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range all {
			_ = osv.Validate(d)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(all)), "ns/record")
}

// BenchmarkTenThousandRecords validates 10,000 distinct records (the base record
// with its ID, alias and commits varied) per op, the size of a large
// database build. Besides wall time it reports the process CPU time per op
// (cpu-ms/op), which stays meaningful on a machine shared with other work.
//
//	go test ./internal/osv/ -run '^$' -bench TenThousandRecords -benchtime 3x
func BenchmarkTenThousandRecords(b *testing.B) {
	recs := make([][]byte, 10000)
	for i := range recs {
		recs[i] = edited(b, baseRecord,
			"/id", fmt.Sprintf("PSF-2024-%d", i+1),
			"/aliases/0", fmt.Sprintf("CVE-2024-%d", 10000+i),
			"/affected/0/ranges/0/events/1/fixed", fmt.Sprintf("%040x", i))
	}
	start := cpuTime()
	for b.Loop() {
		for _, r := range recs {
			if err := osv.Validate(r); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
