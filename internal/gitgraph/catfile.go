package gitgraph

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// catFileMin is the number of objects from which reading them with one
// `git cat-file --batch` beats go-git, whose first lookup in a pack builds
// a map of every object's offset (about 60 ms on CPython's history).
var catFileMin = 32

// readObjects reads the objects hs with one `git cat-file --batch` and
// returns those git has; an object it lacks, or every object when git
// cannot run, is left out (the caller reads it with go-git, which reports
// what is wrong). It never fetches (GIT_NO_LAZY_FETCH) and sees no
// replacements (refused elsewhere).
func readObjects(gitDir string, hs []plumbing.Hash) map[plumbing.Hash]plumbing.EncodedObject {
	out := map[plumbing.Hash]plumbing.EncodedObject{}
	if len(hs) == 0 {
		return out
	}
	cmd := exec.Command("git", "--git-dir="+gitDir, "cat-file", "--batch")
	cmd.Env = append(os.Environ(), "GIT_NO_LAZY_FETCH=1", "GIT_NO_REPLACE_OBJECTS=1", "GIT_TERMINAL_PROMPT=0")
	var in bytes.Buffer
	for _, h := range hs {
		in.WriteString(h.String())
		in.WriteByte('\n')
	}
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return out
	}
	if err := cmd.Start(); err != nil {
		return out
	}
	_ = parseBatch(bufio.NewReaderSize(stdout, 64<<10), out) // a short answer leaves objects to go-git
	io.Copy(io.Discard, stdout)
	_ = cmd.Wait()
	return out
}

// parseBatch reads `git cat-file --batch` output into out: per object a
// "<hash> <type> <size>" line, the content and a newline, or "<hash>
// missing".
func parseBatch(r *bufio.Reader, out map[plumbing.Hash]plumbing.EncodedObject) error {
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF && line == "" {
			return nil
		}
		if err != nil {
			return err
		}
		f := bytes.Fields([]byte(line))
		if len(f) == 2 && string(f[1]) == "missing" {
			continue
		}
		if len(f) != 3 || len(f[0]) != 40 {
			return fmt.Errorf("git cat-file: unexpected line %q", line)
		}
		typ, err := plumbing.ParseObjectType(string(f[1]))
		if err != nil {
			return err
		}
		size, err := strconv.ParseInt(string(f[2]), 10, 64)
		if err != nil || size < 0 || size > 1<<30 {
			return fmt.Errorf("git cat-file: bad size in %q", line)
		}
		content := make([]byte, size+1) // and the newline
		if _, err := io.ReadFull(r, content); err != nil {
			return err
		}
		obj := &plumbing.MemoryObject{}
		obj.SetType(typ)
		obj.Write(content[:size])
		h := plumbing.NewHash(string(f[0]))
		if obj.Hash() != h { // what git sent must be the object asked for
			return fmt.Errorf("git cat-file: object %s hashes to %s", h, obj.Hash())
		}
		out[h] = obj
	}
}
