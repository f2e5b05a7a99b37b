package build

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// The source-dates cache keeps, for the sources at a commit of the main
// line, where each one's blob landed: the commit found by the tree walk
// (treeFiles), by path, with the blob it was found for. Where a path's blob
// at a commit landed depends only on the trees from that commit back,
// which never change; so a later walk that reaches the commit with a file
// still pending at the same blob takes the cached commit instead of
// comparing the trees below (at 100,000 advisories, each commit's
// directory of sources is a tree object of several MB that git inflates
// and the walk compares entry by entry, for each side). It lives beside
// the lock-dates cache (lockCacheFormat), is checked the same way (its
// SHA-256 trailer, its format line, a commit off the main line, a landing
// commit not at or below it, a blob not the one pending: then it is not
// used), and is replaced by each build whose HEAD differs or that found
// files it did not hold.
//
// Format 1 is the format line and the commit's hash on a line, then each
// file, sorted by path: its repo-relative path (a uvarint length and the
// bytes), its blob (20 bytes) and the commit it landed at (20 bytes); then
// the SHA-256 of everything before.
const sourceCacheFormat = "advisory-builder source dates 1\n"

// cachedSource is a file of the source-dates cache: its blob and the
// commit that blob landed at.
type cachedSource struct {
	blob, landed [20]byte
}

// doneSource is a source dated at a commit, for the cache.
type doneSource struct {
	path string
	cachedSource
}

// sourceCachePath is where the source-dates cache is kept; "" when the
// repository is not on disk.
func (h *history) sourceCachePath() string {
	dir := h.gitDir()
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "advisory-builder", "sources.dates")
}

// readSourceCache reads the cache at file: the commit it was written at
// and its files by path; an error when it is absent or not exactly as
// writeSourceCache writes it.
func readSourceCache(file string) (plumbing.Hash, map[string]cachedSource, error) {
	at, rest, err := readSealed(file, sourceCacheFormat)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	out := map[string]cachedSource{}
	var last []byte
	for len(rest) > 0 {
		path, more, ok := cutString(rest)
		if !ok || len(more) < 40 || (last != nil && bytes.Compare(last, path) >= 0) {
			return plumbing.ZeroHash, nil, errNotCache
		}
		out[string(path)] = cachedSource{blob: [20]byte(more[:20]), landed: [20]byte(more[20:40])}
		last, rest = path, more[40:]
	}
	return at, out, nil
}

// writeSourceCache replaces the cache at file with the files dated,
// written at the commit at.
func writeSourceCache(file string, at plumbing.Hash, files []doneSource) error {
	slices.SortFunc(files, func(a, b doneSource) int { return strings.Compare(a.path, b.path) })
	var b bytes.Buffer
	for i, f := range files {
		if i > 0 && files[i-1].path == f.path {
			continue // dated once: the same path given twice
		}
		b.Write(binary.AppendUvarint(nil, uint64(len(f.path))))
		b.WriteString(f.path)
		b.Write(f.blob[:])
		b.Write(f.landed[:])
	}
	return writeSealed(file, sourceCacheFormat, at, b.Bytes())
}

// readCache reads the source-dates cache, when there is one written at a
// commit of the main line.
func (tf *treeFiles) readCache() {
	if tf.h.legacy || tf.h.noCache {
		return
	}
	if tf.cacheFile = tf.h.sourceCachePath(); tf.cacheFile == "" {
		return
	}
	at, cached, err := readSourceCache(tf.cacheFile)
	if err != nil {
		return
	}
	if i, ok := tf.ml.index[at]; ok {
		tf.cacheAt, tf.cached = i, cached
	}
}

// applyCache dates the files pending under n that the cache holds with
// the same blob, at the commit being stepped (the cache's): they land
// where the walk that wrote it found them, when that is at or below it.
func (tf *treeFiles) applyCache(n *pathNode) {
	for name, f := range n.files {
		c, ok := tf.cached[f.path]
		if !ok || c.blob != f.blob {
			continue
		}
		if i, ok := tf.ml.index[c.landed]; ok && i >= tf.steps {
			tf.land(f, i)
			delete(n.files, name)
		}
	}
	for _, child := range n.dirs {
		tf.applyCache(child)
	}
	n.recount()
}

// saveCache writes the source-dates cache at HEAD, unless the one read
// was written there and held every file.
func (tf *treeFiles) saveCache() {
	if tf.cacheFile == "" || (tf.cacheAt == 0 && !tf.missed) {
		return
	}
	_ = writeSourceCache(tf.cacheFile, tf.ml.commits[0].Hash, tf.done) // a cache that cannot be written only costs time
}
