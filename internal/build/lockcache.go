package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// The lock-dates cache keeps, for a lock at a commit of the main line,
// where each of its entries' content landed: the commit, found by the walk
// over the lock's versions, and the entry's summary it was found for
// (pendingEntry: the SHA-256 of its bytes, or, for an entry of a lock not
// in the canonical form, which has none, its content digest). Where
// an entry lands depends only on that summary and on the lock's versions
// from the commit back, which never change; so a later walk that reaches
// the commit with an entry of the same summary still pending takes the
// cached commit instead of reading the older versions (at 100,000
// advisories each is 100 MB that git rebuilds from its deltas in about a
// second). It lives in the repository's git directory, one file a lock,
// replaced by each build whose HEAD differs; a file that does not read
// back exactly (its SHA-256 trailer, its format line, its lock path, a
// commit off the main line) is ignored, and one that cannot be written
// only costs time.
//
// Format 2 (format 1 also kept each summarised entry's content digest, which
// its summary implies) is the format line, the commit's hash and the lock
// path on lines of their own, then each entry: its ID (a uvarint length
// and the bytes), a flags byte (1: summarised, 2: the summary is of the
// content part of its bytes), the summary (32 bytes) or the content digest
// (a uvarint length and the bytes) when it has none, and the commit it
// landed at (20 bytes); then the SHA-256 of everything before.
const lockCacheFormat = "advisory-builder lock dates 2\n"

// cachedEntry is an entry of the cache: the summary it was dated for and
// the commit its content landed at.
type cachedEntry struct {
	pendingEntry
	landed [20]byte
}

// lockCachePath is where the cache of the lock at the repo-relative path
// is kept; "" when the repository is not on disk.
func (h *history) lockCachePath(path string) string {
	dir := h.gitDir()
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "advisory-builder", strings.ReplaceAll(path, "/", "%")+".dates")
}

// gitDir is the repository's git directory; "" when it is not on disk.
func (h *history) gitDir() string {
	s, ok := h.repo.Storer.(*filesystem.Storage)
	if !ok {
		return ""
	}
	return s.Filesystem().Root()
}

// readLockCache reads the cache at file: the commit it was written at and
// its entries, sorted by ID; an error when it is absent or not exactly as
// writeLockCache writes it.
func readLockCache(file, path string) (plumbing.Hash, []cachedEntry, error) {
	at, rest, err := readSealed(file, lockCacheFormat)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	p, rest, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || string(p) != path {
		return plumbing.ZeroHash, nil, errNotCache
	}
	var out []cachedEntry
	for len(rest) > 0 {
		c, more, ok := cutCachedEntry(rest)
		if !ok || (len(out) > 0 && out[len(out)-1].id >= c.id) {
			return plumbing.ZeroHash, nil, errNotCache
		}
		out, rest = append(out, c), more
	}
	return at, out, nil
}

// errNotCache is a cache file not exactly as it is written.
var errNotCache = errors.New("not a cache of the build")

// readSealed reads a cache file as writeSealed writes it: it checks the
// SHA-256 trailer and the format line, and returns the commit it was
// written at and what follows that commit's line.
func readSealed(file, format string) (plumbing.Hash, []byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	if len(data) < sha256.Size || sha256.Sum256(data[:len(data)-sha256.Size]) != [32]byte(data[len(data)-sha256.Size:]) {
		return plumbing.ZeroHash, nil, errNotCache
	}
	data = data[:len(data)-sha256.Size]
	head, ok := bytes.CutPrefix(data, []byte(format))
	if !ok {
		return plumbing.ZeroHash, nil, errNotCache
	}
	line, rest, ok := bytes.Cut(head, []byte("\n"))
	at := plumbing.NewHash(string(line))
	if !ok || len(line) != 40 || at.String() != string(line) {
		return plumbing.ZeroHash, nil, errNotCache
	}
	return at, rest, nil
}

// cutCachedEntry cuts one entry of the cache from the front of b; false
// when b does not start with one.
func cutCachedEntry(b []byte) (c cachedEntry, rest []byte, ok bool) {
	id, rest, ok := cutString(b)
	if !ok || len(rest) < 1 || rest[0]&^3 != 0 {
		return c, nil, false
	}
	c.hasSum, c.byContent = rest[0]&1 != 0, rest[0]&2 != 0
	rest = rest[1:]
	if c.hasSum {
		if len(rest) < 32 {
			return c, nil, false
		}
		c.sum, rest = [32]byte(rest[:32]), rest[32:]
	} else {
		var digest []byte
		if digest, rest, ok = cutString(rest); !ok {
			return c, nil, false
		}
		c.digest = string(digest)
	}
	if len(rest) < 20 {
		return c, nil, false
	}
	c.landed, rest = [20]byte(rest[:20]), rest[20:]
	c.id = string(id)
	return c, rest, true
}

// cutString cuts a length-prefixed string from the front of b.
func cutString(b []byte) (s, rest []byte, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}

// writeLockCache replaces the cache at file with entries (sorted by ID),
// written at the commit at.
func writeLockCache(file, path string, at plumbing.Hash, entries []cachedEntry) error {
	var b bytes.Buffer
	b.WriteString(path + "\n")
	for _, c := range entries {
		b.Write(binary.AppendUvarint(nil, uint64(len(c.id))))
		b.WriteString(c.id)
		var flags byte
		if c.hasSum {
			flags |= 1
		}
		if c.byContent {
			flags |= 2
		}
		b.WriteByte(flags)
		if c.hasSum {
			b.Write(c.sum[:])
		} else {
			b.Write(binary.AppendUvarint(nil, uint64(len(c.digest))))
			b.WriteString(c.digest)
		}
		b.Write(c.landed[:])
	}
	return writeSealed(file, lockCacheFormat, at, b.Bytes())
}

// writeSealed replaces the cache at file with the format line, the commit
// at on a line, body and the SHA-256 of all that (readSealed), through a
// temporary file renamed into place.
func writeSealed(file, format string, at plumbing.Hash, body []byte) error {
	var b bytes.Buffer
	b.Grow(len(format) + 41 + len(body) + sha256.Size)
	fmt.Fprintf(&b, "%s%s\n", format, hex.EncodeToString(at[:]))
	b.Write(body)
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".dates-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
