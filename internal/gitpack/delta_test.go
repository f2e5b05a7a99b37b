package gitpack

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// checkAgainstGoGit: parseDelta takes a delta exactly when go-git's
// PatchDelta does (which refuses every delta of an empty base), and the
// instructions, applied to the base and composed as pieces, give go-git's
// bytes.
func checkAgainstGoGit(t *testing.T, src, delta []byte) {
	t.Helper()
	want, wantErr := packfile.PatchDelta(src, delta)
	base, target, ops, err := parseDelta(delta, maxPieces)
	if err == nil && base != len(src) {
		err = errBadDelta // the caller's check of the base's size
	}
	if len(src) == 0 {
		wantErr = err // go-git's rule, not git's
	}
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("parseDelta: %v; go-git: %v (base %d bytes, delta %x)", err, wantErr, len(src), delta)
	}
	if err != nil {
		return
	}
	c, err := apply(whole(NewRoot(src)), target, delta, ops, maxPieces)
	if err != nil {
		t.Fatal(err)
	}
	if got := contentBytes(t, c); !bytes.Equal(got, want) && len(src) > 0 || len(got) != target {
		t.Fatalf("pieces give %q, go-git %q", got, want)
	}
}

// deltaSeeds are deltas of the shapes git writes and of broken ones.
var deltaSeeds = []struct{ src, delta []byte }{
	{[]byte("hello, world"), []byte{12, 5, 0x90, 5}},                                 // copy 5 from 0
	{[]byte("hello, world"), []byte{12, 8, 0x91, 7, 5, 3, 'a', 'b', 'c'}},            // copy then insert
	{[]byte("abc"), []byte{3, 3, 0x80 | 0x10, 3}},                                    // copy with no offset byte
	{[]byte("abc"), []byte{3, 4, 0x90, 4}},                                           // copy past the base
	{[]byte("abc"), []byte{3, 2, 0}},                                                 // reserved instruction
	{[]byte("abc"), []byte{3, 2, 2, 'x'}},                                            // insert past the delta
	{[]byte("abc"), []byte{3, 1, 1, 'x', 0}},                                         // bytes left over
	{[]byte("abc"), []byte{3, 0x80}},                                                 // size cut short
	{bytes.Repeat([]byte("z"), 0x10000), []byte{0x80, 0x80, 4, 0x80, 0x80, 4, 0x80}}, // size 0 is 0x10000
}

// FuzzParseDelta: whatever the bytes, parseDelta agrees with go-git.
func FuzzParseDelta(f *testing.F) {
	for _, s := range deltaSeeds {
		f.Add(s.src, s.delta)
	}
	f.Fuzz(checkAgainstGoGit)
}

// TestParseDeltaAgrees: the seeds, and thousands of seeded random deltas
// (valid ones made from random instructions, then damaged), agree with
// go-git (the fuzzing engine makes no progress past its seeds on this
// machine).
func TestParseDeltaAgrees(t *testing.T) {
	for _, s := range deltaSeeds {
		checkAgainstGoGit(t, s.src, s.delta)
	}
	rng := rand.New(rand.NewPCG(22, 1))
	for range 5000 {
		src := make([]byte, rng.IntN(300))
		for i := range src {
			src[i] = byte('a' + rng.IntN(4))
		}
		delta := randomDelta(rng, len(src))
		checkAgainstGoGit(t, src, delta)
		for range 3 {
			bad := bytes.Clone(delta)
			switch k := rng.IntN(3); {
			case k == 0 && len(bad) > 0:
				bad[rng.IntN(len(bad))] ^= byte(1 << rng.IntN(8))
			case k == 1 && len(bad) > 0:
				bad = bad[:rng.IntN(len(bad))]
			default:
				bad = append(bad, byte(rng.IntN(256)))
			}
			checkAgainstGoGit(t, src, bad)
		}
	}
}

// randomDelta writes a valid delta over a base of n bytes: random copies
// (every offset and size width) and inserts.
func randomDelta(rng *rand.Rand, n int) []byte {
	var ops []byte
	target := 0
	for range rng.IntN(12) {
		if n > 0 && rng.IntN(2) == 0 {
			off := rng.IntN(n)
			size := 1 + rng.IntN(n-off)
			cmd := byte(0x80)
			var args []byte
			for i := range 4 {
				if b := byte(off >> (8 * i)); b != 0 || rng.IntN(4) == 0 {
					cmd |= 1 << i
					args = append(args, b)
				}
			}
			for i := range 3 {
				if b := byte(size >> (8 * i)); b != 0 {
					cmd |= 1 << (4 + i)
					args = append(args, b)
				}
			}
			ops = append(append(ops, cmd), args...)
			target += size
			continue
		}
		k := 1 + rng.IntN(20)
		ops = append(ops, byte(k))
		for range k {
			ops = append(ops, byte('A'+rng.IntN(26)))
		}
		target += k
	}
	return append(append(appendSize(nil, n), appendSize(nil, target)...), ops...)
}

// appendSize writes a delta's size field.
func appendSize(b []byte, n int) []byte {
	for n >= 0x80 {
		b = append(b, byte(n)|0x80)
		n >>= 7
	}
	return append(b, byte(n))
}

// TestApplyChains: composing a chain of random deltas as pieces gives the
// bytes of applying them one after the other.
func TestApplyChains(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 2))
	for i := range 300 {
		data := make([]byte, 1+rng.IntN(400))
		for i := range data {
			data[i] = byte('a' + rng.IntN(26))
		}
		root := NewRoot(data)
		if i%2 == 1 { // every other chain over a root in a file
			var err error
			if root, err = NewFileRoot(bytes.NewReader(data)); err != nil {
				t.Fatal(err)
			}
			defer root.Close()
		}
		c := whole(root)
		for range 1 + rng.IntN(8) {
			delta := randomDelta(rng, len(data))
			next, err := packfile.PatchDelta(data, delta)
			if err != nil {
				break // an empty target: no base for the next
			}
			base, target, ops, err := parseDelta(delta, maxPieces)
			if err != nil || base != c.Size {
				t.Fatalf("valid delta refused: %v", err)
			}
			if c, err = apply(c, target, delta, ops, maxPieces); err != nil {
				t.Fatal(err)
			}
			if got := contentBytes(t, c); !bytes.Equal(got, next) {
				t.Fatalf("composed pieces give %q, want %q", got, next)
			}
			for i := 1; i < len(c.Pieces); i++ {
				a, b := c.Pieces[i-1], c.Pieces[i]
				if a.Src == 0 && b.Src == 0 && a.Off+a.Len == b.Off {
					t.Fatalf("pieces %d and %d are adjacent ranges of the root, not joined", i-1, i)
				}
			}
			if data = next; len(data) == 0 {
				break
			}
		}
	}
}

// contentBytes is c's bytes, failing the test when they do not read.
func contentBytes(tb testing.TB, c *Content) []byte {
	tb.Helper()
	b, err := c.Bytes()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
