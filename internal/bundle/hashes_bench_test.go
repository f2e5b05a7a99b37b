package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"

	"github.com/psf/advisory-builder/internal/testenv"
)

// mapHashes is how Hashes kept sums before they were packed: a map from
// path to hex sum (the alternative BenchmarkHashes measures against).
type mapHashes struct {
	mu  sync.Mutex
	sum map[string]string
}

func (h *mapHashes) add(name string, data []byte) {
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	h.mu.Lock()
	defer h.mu.Unlock()
	if prev, ok := h.sum[name]; ok && prev != hexSum {
		hexSum = ""
	}
	h.sum[name] = hexSum
}

func (h *mapHashes) known(name string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.sum[name]
	return s, s != ""
}

// heldHashes keeps what a benchmark built alive until it is measured.
var heldHashes any

// BenchmarkHashes: the sums of 200,000 files (a 100,000-advisory build's
// records and pages), recorded as written and then looked up once each as
// SHA256SUMS is written; held-MB and held-objects are what stays on the
// heap between the two, which the collector scans on every cycle.
func BenchmarkHashes(b *testing.B) {
	const n = 200000
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("advisory/PSF-2024-%d.html", i)
	}
	data := []byte("the bytes of one file")
	measure := func(b *testing.B, build func() any, lookUp func(any, string) bool) {
		for b.Loop() {
			heldHashes = build()
			for _, name := range names {
				if !lookUp(heldHashes, name) {
					b.Fatal(name, "not known")
				}
			}
		}
		heldHashes = nil
		testenv.ReportHeld(b, build)
	}
	b.Run("map", func(b *testing.B) {
		measure(b, func() any {
			h := &mapHashes{sum: map[string]string{}}
			for _, name := range names {
				h.add(name, data)
			}
			return h
		}, func(h any, name string) bool { _, ok := h.(*mapHashes).known(name); return ok })
	})
	b.Run("packed", func(b *testing.B) {
		measure(b, func() any {
			h := NewHashes()
			for _, name := range names {
				h.Add(name, data)
			}
			return h
		}, func(h any, name string) bool { _, ok := h.(*Hashes).known(name); return ok })
	})
}
