package build

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// blobReader reads objects of the database's history by hash: whole
// (read, a blob; the bytes are valid until the next read or open) or as a
// stream (open, a blob or a tree; valid until the next read or open).
type blobReader interface {
	read(hash string) ([]byte, error)
	open(hash, kind string) (io.Reader, error)
	close()
}

// catFile reads objects through one `git cat-file --batch` process: git's
// own object reader, with no per-object process and no re-hashing of what
// it reads (go-git rebuilds and SHA-1-hashes every delta-compressed blob).
type catFile struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	rest *io.LimitedReader // what is left of the object being read
	buf  []byte            // the last blob read, reused by the next
}

// startCatFile starts the process in the work tree dir; an error when git
// cannot be run (the caller reads through go-git instead). git maps its
// pack files in windows of up to 1 GiB, 8 GiB in all, and every page it
// touches counts in its memory: at 100,000 advisories, reading 20 lock
// versions of 100 MB touched most of a 330 MB pack and peaked at 588 MB,
// more than the build itself; small windows cap that part (346 against
// 417 MB reading 6 versions, in no more time).
func startCatFile(dir string) (*catFile, error) {
	cmd := exec.Command("git", "-C", dir, "-c", "core.packedGitWindowSize=16m", "-c", "core.packedGitLimit=64m", "cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &catFile{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}, nil
}

// open asks for the object hash, which must be of the given kind, and
// returns its bytes as a stream.
func (c *catFile) open(hash, kind string) (io.Reader, error) {
	if err := c.finish(); err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(c.in, "%s\n", hash); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	f := strings.Fields(header)
	if len(f) != 3 {
		return nil, fmt.Errorf("git cat-file: %s %s: %q", kind, hash, strings.TrimSpace(header))
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return nil, fmt.Errorf("git cat-file: %s %s: bad size in %q", kind, hash, strings.TrimSpace(header))
	}
	c.rest = &io.LimitedReader{R: c.out, N: size}
	if f[1] != kind {
		return nil, fmt.Errorf("git cat-file: %s %s: %q", kind, hash, strings.TrimSpace(header))
	}
	return c.rest, nil
}

// finish skips what is left of the object being read and the newline
// that follows it.
func (c *catFile) finish() error {
	if c.rest == nil {
		return nil
	}
	_, err := io.Copy(io.Discard, c.rest)
	if err == nil {
		_, err = c.out.Discard(1)
	}
	c.rest = nil
	if err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	return nil
}

func (c *catFile) read(hash string) ([]byte, error) {
	r, err := c.open(hash, "blob")
	if err != nil {
		return nil, err
	}
	size := int(c.rest.N)
	if cap(c.buf) < size {
		c.buf = make([]byte, size)
	}
	data := c.buf[:size]
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("git cat-file: blob %s: %w", hash, err)
	}
	return data, nil
}

// close ends the process: with its input closed, git writes out what it
// was asked for and exits; what it writes is read and dropped (git would
// wait for a full pipe to drain before it exits).
func (c *catFile) close() {
	c.in.Close()
	io.Copy(io.Discard, c.out)
	c.cmd.Wait()
}

// goGitBlobs reads objects through go-git (when git cannot be run).
type goGitBlobs struct {
	repo *git.Repository
	last io.Closer // the reader of the object being read
}

func (g *goGitBlobs) open(hash, kind string) (io.Reader, error) {
	g.finish()
	o, err := g.repo.Storer.EncodedObject(plumbing.AnyObject, plumbing.NewHash(hash))
	if err != nil {
		return nil, err
	}
	if o.Type().String() != kind {
		return nil, fmt.Errorf("object %s is a %s, not a %s", hash, o.Type(), kind)
	}
	r, err := o.Reader()
	if err != nil {
		return nil, err
	}
	g.last = r
	return r, nil
}

func (g *goGitBlobs) finish() {
	if g.last != nil {
		g.last.Close()
		g.last = nil
	}
}

func (g *goGitBlobs) read(hash string) ([]byte, error) {
	r, err := g.open(hash, "blob")
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func (g *goGitBlobs) close() { g.finish() }

// blobs is the history's object reader, started on first use: git
// cat-file, or go-git when git cannot be run (or in legacy mode, the way
// the build read them before, kept as the benchmarks' baseline).
func (h *history) blobs() blobReader {
	if h.reader != nil {
		return h.reader
	}
	if !h.legacy {
		if c, err := startCatFile(h.top); err == nil {
			h.reader = c
			return c
		}
	}
	h.reader = &goGitBlobs{repo: h.repo}
	return h.reader
}

// closeBlobs ends the object reader, if one was started, and closes the
// packs.
func (h *history) closeBlobs() {
	if h.reader != nil {
		h.reader.close()
		h.reader = nil
	}
	h.packs.close()
	h.packs, h.packTried = nil, false
}
