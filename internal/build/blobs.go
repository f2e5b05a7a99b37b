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

// blobReader reads blobs of the database's history by hash. The bytes
// read are valid until the next read.
type blobReader interface {
	read(hash string) ([]byte, error)
	close()
}

// catFile reads blobs through one `git cat-file --batch` process: git's
// own object reader, with no per-object process and no re-hashing of what
// it reads (go-git rebuilds and SHA-1-hashes every delta-compressed blob).
type catFile struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	buf []byte // the last blob read, reused by the next
}

// startCatFile starts the process in the work tree dir; an error when git
// cannot be run (the caller reads through go-git instead).
func startCatFile(dir string) (*catFile, error) {
	cmd := exec.Command("git", "-C", dir, "cat-file", "--batch")
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

func (c *catFile) read(hash string) ([]byte, error) {
	if _, err := fmt.Fprintf(c.in, "%s\n", hash); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	f := strings.Fields(header)
	if len(f) != 3 || f[1] != "blob" {
		return nil, fmt.Errorf("git cat-file: blob %s: %q", hash, strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(f[2])
	if err != nil || size < 0 {
		return nil, fmt.Errorf("git cat-file: blob %s: bad size in %q", hash, strings.TrimSpace(header))
	}
	if cap(c.buf) < size+1 {
		c.buf = make([]byte, size+1)
	}
	data := c.buf[:size+1] // the object, then a newline
	if _, err := io.ReadFull(c.out, data); err != nil {
		return nil, fmt.Errorf("git cat-file: blob %s: %w", hash, err)
	}
	return data[:size], nil
}

func (c *catFile) close() {
	c.in.Close()
	c.cmd.Wait()
}

// goGitBlobs reads blobs through go-git (when git cannot be run).
type goGitBlobs struct{ repo *git.Repository }

func (g goGitBlobs) read(hash string) ([]byte, error) {
	b, err := g.repo.BlobObject(plumbing.NewHash(hash))
	if err != nil {
		return nil, err
	}
	r, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func (goGitBlobs) close() {}

// blobs is the history's blob reader, started on first use: git cat-file,
// or go-git when git cannot be run (or in legacy mode, the way the build
// read them before, kept as the benchmarks' baseline).
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
	h.reader = goGitBlobs{h.repo}
	return h.reader
}

// closeBlobs ends the blob reader, if one was started.
func (h *history) closeBlobs() {
	if h.reader != nil {
		h.reader.close()
		h.reader = nil
	}
}
