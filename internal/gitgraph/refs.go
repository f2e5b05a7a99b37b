package gitgraph

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// readRefs lists the refs of the git directory gitDir as listRefs does
// through go-git (TestReadRefsMatchesGoGit), without opening the
// repository: HEAD, the loose refs under refs/ and packed-refs, a loose
// ref hiding a packed one of the same name. A warm run needs nothing else
// from the repository, and go-git's listing (a Reference, a map entry and
// several strings per ref) was its largest cost after the graph's
// checksum.
func readRefs(gitDir string) ([]rawRef, error) {
	common := commonDir(gitDir)
	var refs []rawRef
	seen := map[string]bool{} // the loose refs, which hide packed ones
	add := func(name string, target []byte) {
		if !bytes.HasPrefix(target, []byte("ref: ")) { // a symbolic ref names no commit
			refs = append(refs, rawRef{Name: name, Hash: hashOf(target)})
		}
	}
	head, err := readRefFile(filepath.Join(gitDir, "HEAD"))
	switch {
	case err == nil:
		add("HEAD", head)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	err = walkLooseRefs(common, "refs", func(name string, target []byte) {
		seen[name] = true
		add(name, target)
	})
	if err != nil {
		return nil, err
	}
	if err := readPackedRefs(filepath.Join(common, "packed-refs"), seen, add); err != nil {
		return nil, err
	}
	return keepRefs(refs)
}

// walkLooseRefs reads the ref files under dir (a ref name prefix, such as
// "refs/tags") in the directory common, in name order.
func walkLooseRefs(common, dir string, add func(name string, target []byte)) error {
	entries, err := os.ReadDir(filepath.Join(common, filepath.FromSlash(dir)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := dir + "/" + e.Name()
		if e.IsDir() {
			if err := walkLooseRefs(common, name, add); err != nil {
				return err
			}
			continue
		}
		target, err := readRefFile(filepath.Join(common, filepath.FromSlash(name)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since the directory was read
		}
		if err != nil {
			return err
		}
		add(name, target)
	}
	return nil
}

// readRefFile reads a loose ref: a hash, or "ref: " and another ref's
// name (a symbolic ref).
func readRefFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%s: ref file is empty", path)
	}
	return bytes.TrimSpace(data), nil
}

// hashOf reads a ref's hash as go-git does (plumbing.NewHash: the hex
// digits up to the first that is not one), without a string.
func hashOf(target []byte) plumbing.Hash {
	var h plumbing.Hash
	if len(target) == 2*len(h) {
		if _, err := hex.Decode(h[:], target); err == nil {
			return h
		}
	}
	return plumbing.NewHash(string(target))
}

// readPackedRefs adds the refs of the packed-refs file at path that no
// loose ref has named: lines "hash name", with "#" comments and "^"
// peeled lines skipped.
func readPackedRefs(path string, seen map[string]bool, add func(name string, target []byte)) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 || line[0] == '#' || line[0] == '^' {
			continue
		}
		target, name, ok := bytes.Cut(line, []byte(" "))
		if !ok || bytes.IndexByte(name, ' ') >= 0 {
			return fmt.Errorf("%s: malformed line %q", path, line)
		}
		if len(seen) == 0 || !seen[string(name)] {
			add(string(name), target)
		}
	}
	return nil
}

// keepRefs keeps the refs the graph is made of (branches, tags,
// remote-tracking refs and a detached HEAD), sorted by name, and refuses
// replace refs.
func keepRefs(all []rawRef) ([]rawRef, error) {
	refs := all[:0]
	for _, r := range all {
		switch name := r.Name; {
		case strings.HasPrefix(name, "refs/replace/"):
			return nil, fmt.Errorf("%w: replace ref %s changes history; delete it", ErrUnsupported, name)
		case strings.HasPrefix(name, "refs/heads/"), strings.HasPrefix(name, "refs/tags/"),
			strings.HasPrefix(name, "refs/remotes/"), name == "HEAD":
			refs = append(refs, r)
		}
	}
	slices.SortFunc(refs, func(a, b rawRef) int { return strings.Compare(a.Name, b.Name) })
	return refs, nil
}
