package lock

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/psf/advisory-builder/internal/advisory"
)

// InputDigest is the digest of what the resolution of an advisory depends on
// in its source: the introduced commit and the branch entries, in order. A
// lock entry whose InputDigest differs is stale.
func InputDigest(a *advisory.Advisory) string {
	h := sha256.New()
	fmt.Fprintf(h, "introduced %s\n", a.Introduced)
	for _, b := range a.Branches {
		fmt.Fprintf(h, "branch %q introduced %q fixed %q last_affected %q\n",
			b.Branch, b.Introduced, b.Fixed, b.LastAffected)
	}
	return hex.EncodeToString(h.Sum(nil))
}
