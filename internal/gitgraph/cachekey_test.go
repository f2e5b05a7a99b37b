package gitgraph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestCacheKeyDefinition holds cacheKey to its definition, the SHA-256 of
// the cache version and one "name hash" line per ref (so caches written
// before it was computed without fmt stay valid), for refs short and long
// enough to be hashed in several pieces.
func TestCacheKeyDefinition(t *testing.T) {
	for _, n := range []int{0, 1, 3, 2000} {
		var refs []rawRef
		for k := range n {
			refs = append(refs, rawRef{Name: fmt.Sprintf("refs/tags/v3.%d.%d", k/50, k%50), Hash: plumbing.NewHash(fmt.Sprintf("%040x", k*7919))})
		}
		h := sha256.New()
		fmt.Fprintln(h, cacheVersion)
		for _, r := range refs {
			fmt.Fprintf(h, "%s %s\n", r.Name, r.Hash)
		}
		if got, want := cacheKey(refs), hex.EncodeToString(h.Sum(nil)); got != want {
			t.Errorf("%d refs: cacheKey = %s, want %s", n, got, want)
		}
	}
}
