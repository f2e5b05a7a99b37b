package gitgraph

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"github.com/psf/advisory-builder/internal/atomicfile"
	"os"
	"path/filepath"
	"sort"
)

// cacheVersion changes whenever the cached layout or its meaning changes.
const cacheVersion = "advisory-gitgraph 2"

// DefaultCacheDir is $ADVISORY_CACHE_DIR, else <user cache dir>/advisory-builder/gitgraph
// (~/.cache/advisory-builder/gitgraph on Linux); "" when neither is known.
func DefaultCacheDir() string {
	if d := os.Getenv("ADVISORY_CACHE_DIR"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "advisory-builder", "gitgraph")
}

// cacheKey digests the refs. Commits and tags are content-addressed, so the
// same ref values always name the same history: the key can never be stale.
func cacheKey(refs []rawRef) string {
	h := sha256.New()
	fmt.Fprintln(h, cacheVersion)
	for _, r := range refs {
		fmt.Fprintf(h, "%s %s\n", r.Name, r.Hash)
	}
	return hex.EncodeToString(h.Sum(nil))
}

type cachedGraph struct {
	Version         string
	Key             string
	UsedCommitGraph bool
	Hashes          []byte
	ParentOff       []uint32
	Parents         []uint32
	Times           []int64
	Refs            []Ref
}

func cachePath(dir, key, ext string) string { return filepath.Join(dir, key+ext) }

func readCache(dir, key string) (g *Graph, err error) {
	defer func() {
		if recover() != nil {
			g, err = nil, fmt.Errorf("cache entry unreadable")
		}
	}()
	data, err := readChecked(cachePath(dir, key, ".graph"))
	if err != nil {
		return nil, err
	}
	var c cachedGraph
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&c); err != nil {
		return nil, err
	}
	n := len(c.Times)
	if c.Version != cacheVersion || c.Key != key || len(c.Hashes) != 20*n || len(c.ParentOff) != n+1 {
		return nil, fmt.Errorf("cache entry does not match")
	}
	for i := 0; i < n; i++ {
		if c.ParentOff[i] > c.ParentOff[i+1] || int(c.ParentOff[i+1]) > len(c.Parents) {
			return nil, fmt.Errorf("cache entry corrupt")
		}
		for _, p := range c.Parents[c.ParentOff[i]:c.ParentOff[i+1]] {
			if p >= uint32(i) {
				return nil, fmt.Errorf("cache entry corrupt")
			}
		}
	}
	for _, r := range c.Refs {
		if int(r.Commit) >= n {
			return nil, fmt.Errorf("cache entry corrupt")
		}
	}
	g = &Graph{key: key, UsedCommitGraph: c.UsedCommitGraph, hashes: c.Hashes, parentOff: c.ParentOff,
		parents: c.Parents, times: c.Times, refs: c.Refs}
	g.buildIndex()
	return g, nil
}

func writeCache(dir string, g *Graph) error {
	c := cachedGraph{Version: cacheVersion, Key: g.key, UsedCommitGraph: g.UsedCommitGraph, Hashes: g.hashes,
		ParentOff: g.parentOff, Parents: g.parents, Times: g.times, Refs: g.refs}
	return writeFile(dir, cachePath(dir, g.key, ".graph"), c)
}

func writeFile(dir, path string, v any) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Write(make([]byte, sha256.Size)) // checksum, filled below
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes()[sha256.Size:])
	copy(buf.Bytes(), sum[:])
	if err := atomicfile.Write(path, buf.Bytes()); err != nil {
		return err
	}
	prune(dir, 8)
	return nil
}

// readChecked reads a cache file and checks its SHA-256 checksum, so that a
// damaged entry is never trusted.
func readChecked(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < sha256.Size {
		return nil, fmt.Errorf("%s: truncated", path)
	}
	if sum := sha256.Sum256(data[sha256.Size:]); !bytes.Equal(sum[:], data[:sha256.Size]) {
		return nil, fmt.Errorf("%s: checksum mismatch", path)
	}
	return data[sha256.Size:], nil
}

// prune keeps the newest keep cache entries of each kind.
func prune(dir string, keep int) {
	for _, pat := range []string{"*.graph", "*.msgs"} {
		files, _ := filepath.Glob(filepath.Join(dir, pat))
		if len(files) <= keep {
			continue
		}
		type f struct {
			path string
			mod  int64
		}
		var fs []f
		for _, p := range files {
			if fi, err := os.Stat(p); err == nil {
				fs = append(fs, f{p, fi.ModTime().UnixNano()})
			}
		}
		sort.Slice(fs, func(i, j int) bool { return fs[i].mod > fs[j].mod })
		for _, x := range fs[min(keep, len(fs)):] {
			os.Remove(x.path)
		}
	}
}
