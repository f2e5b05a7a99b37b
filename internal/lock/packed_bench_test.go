package lock

import (
	"fmt"
	"testing"

	"github.com/psf/advisory-builder/internal/testenv"
)

// benchLock writes a lock of n entries shaped as a generated database's
// (three fixes, twelve versions, three branches each) and returns its root.
func benchLock(b *testing.B, n int) string {
	b.Helper()
	l := &Lock{Product: "python", Repo: "https://github.com/python/cpython", Tags: 40, TagsDigest: digestA, Advisories: map[string]*Entry{}}
	for i := range n {
		var versions []string
		for v := range 12 {
			versions = append(versions, fmt.Sprintf("v3.%d.%d", 12+v/6, v%6))
		}
		l.Advisories[fmt.Sprintf("PSF-2024-%d", i+1)] = &Entry{
			InputDigest: digestA, Versions: versions, Changed: "2024-06-01T00:00:00Z",
			Fixed: []Fix{{Commit: commitN(3 * i), Branch: "main", Source: SourceAuthored}, {Commit: commitN(3*i + 1), Branch: "3.13", Source: SourceAuthored}, {Commit: commitN(3*i + 2), Branch: "3.12", Source: SourceAuthored}},
			Branches: []BranchResult{{Branch: "main", Status: StatusFixed, FixCommit: commitN(3 * i)},
				{Branch: "3.13", Status: StatusFixed, FirstAffected: "v3.13.0", LastAffected: "v3.13.5", FixedIn: "v3.13.6", FixCommit: commitN(3*i + 1)},
				{Branch: "3.12", Status: StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.5", FixedIn: "v3.12.6", FixCommit: commitN(3*i + 2)}},
		}
	}
	data, err := l.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	root := b.TempDir()
	writeLockTextTB(b, root, data)
	return root
}

// heldLock keeps what a benchmark read alive until it measures it.
var heldLock any

// BenchmarkLockHeld: reading a 10,000-entry lock and holding it, packed
// (ReadPacked) against decoded (Read and Check, what the build did): the
// time to read, and what stays on the heap (held-MB) and how much of it
// the collector must scan (held-objects).
func BenchmarkLockHeld(b *testing.B) {
	root := benchLock(b, 10000)
	p := testProduct(b)
	held := func(b *testing.B, read func() any) {
		for b.Loop() {
			heldLock = read()
		}
		heldLock = nil
		testenv.ReportHeld(b, read)
	}
	b.Run("decoded", func(b *testing.B) {
		held(b, func() any {
			l, err := readChecked(root, p)
			if err != nil {
				b.Fatal(err)
			}
			return l
		})
	})
	b.Run("packed", func(b *testing.B) {
		held(b, func() any {
			l, err := ReadPacked(root, p)
			if err != nil {
				b.Fatal(err)
			}
			return l
		})
	})
}
