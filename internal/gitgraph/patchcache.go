package gitgraph

import (
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
)

// Patch identities are cached by commit hash: a commit names its content
// and its parents, so its patch identity never changes, whatever the refs
// (the graph cache key) are. The cache is one file of fixed-size records
// appended as identities are computed, shared by every repository using
// the cache directory, so a warm `resolve --check` reads no objects.
const (
	// patchCacheName names the file; its version changes whenever the patch
	// identity (patchIdentity) or the record layout does.
	patchCacheName = "patchids-v1"
	// A record: the commit's hash (20 bytes), its patch identity (32
	// bytes), the CRC-32C of those 52 bytes (4 bytes).
	patchRecord = 20 + 32 + 4
	// patchCacheMax bounds the file: past it, it starts over.
	patchCacheMax = 32 << 20
)

// cachedPatchID returns the cached patch identity of commit h.
func (g *Graph) cachedPatchID(h plumbing.Hash) (string, bool) {
	if g.cacheDir == "" {
		return "", false
	}
	if g.patchIDs == nil {
		g.patchIDs = readPatchCache(filepath.Join(g.cacheDir, patchCacheName))
	}
	id, ok := g.patchIDs[h]
	if !ok {
		return "", false
	}
	return hex.EncodeToString(id[:]), true
}

// storePatchID appends commit h's patch identity (hex) to the cache.
func (g *Graph) storePatchID(h plumbing.Hash, id string) {
	var raw [32]byte
	if g.cacheDir == "" || hex.DecodedLen(len(id)) != len(raw) {
		return
	}
	if _, err := hex.Decode(raw[:], []byte(id)); err != nil {
		return
	}
	if g.patchIDs == nil {
		g.patchIDs = readPatchCache(filepath.Join(g.cacheDir, patchCacheName))
	}
	g.patchIDs[h] = raw
	_ = appendPatchRecord(g.cacheDir, h, raw) // a cache that cannot be written only costs time
}

// readPatchCache reads the records of the file at path; a record whose
// checksum fails (a torn append, damage) is skipped, never trusted.
func readPatchCache(path string) map[plumbing.Hash][32]byte {
	out := map[plumbing.Hash][32]byte{}
	data, err := os.ReadFile(path)
	if err != nil {
		return out
	}
	for ; len(data) >= patchRecord; data = data[patchRecord:] {
		rec := data[:patchRecord]
		if crc32.Checksum(rec[:52], castagnoli) != binary.LittleEndian.Uint32(rec[52:]) {
			continue
		}
		var h plumbing.Hash
		var id [32]byte
		copy(h[:], rec[:20])
		copy(id[:], rec[20:52])
		out[h] = id
	}
	return out
}

// appendPatchRecord appends one record with a single write (appends of one
// record by concurrent runs do not interleave).
func appendPatchRecord(dir string, h plumbing.Hash, id [32]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, patchCacheName)
	if fi, err := os.Stat(path); err == nil && fi.Size() >= patchCacheMax {
		os.Remove(path)
	}
	rec := make([]byte, 0, patchRecord)
	rec = append(rec, h[:]...)
	rec = append(rec, id[:]...)
	rec = binary.LittleEndian.AppendUint32(rec, crc32.Checksum(rec, castagnoli))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(rec); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
