package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKnownAll: the merge finds, for every asked path, the sum recorded
// for it (none when not recorded or recorded with different bytes), on
// seeded random sets of recorded and asked paths that overlap in part
// and sort with '/', '-' and '.' between equal prefixes.
func TestKnownAll(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 6))
	parts := []string{"a", "a-b", "a.b", "a/b", "b", "advisory/x", "advisory-x", "z"}
	for round := range 200 {
		h := NewHashes()
		want := map[string]string{} // path -> hex, "" when its bytes differed
		for range r.IntN(30) {
			p := parts[r.IntN(len(parts))] + fmt.Sprint(r.IntN(4))
			data := []byte(fmt.Sprint(r.IntN(3)))
			h.Add(p, data)
			sum := sha256.Sum256(data)
			if old, ok := want[p]; ok && old != hex.EncodeToString(sum[:]) {
				want[p] = ""
			} else if !ok {
				want[p] = hex.EncodeToString(sum[:])
			}
		}
		var names []string
		for _, p := range parts {
			for i := range 4 {
				if r.IntN(2) == 0 {
					names = append(names, p+fmt.Sprint(i))
				}
			}
		}
		slices.Sort(names)
		got := h.knownAll(names)
		for i, n := range names {
			if got[i] != want[n] {
				t.Fatalf("round %d: %s: %q, want %q", round, n, got[i], want[n])
			}
		}
	}
}
