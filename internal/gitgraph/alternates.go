package gitgraph

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/helper/chroot"
	"github.com/go-git/go-billy/v5/helper/mount"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// maxAlternateDepth is how deep git follows alternates of alternates.
const maxAlternateDepth = 5

// alternateDirs returns the object directories a repository borrows from
// (`git clone --shared` or `--reference` write them to
// objects/info/alternates), as git reads them: one path per line, absolute
// or relative to the objects directory, blank lines and "#" comments
// skipped, followed into the alternates' own alternates, each directory
// once. An entry that is not a directory is an error naming the file and
// line, as git refuses it.
func alternateDirs(objectsDir string) ([]string, error) {
	var out []string
	seen := map[string]bool{filepath.Clean(objectsDir): true}
	var follow func(dir string, depth int) error
	follow = func(dir string, depth int) error {
		file := filepath.Join(dir, "info", "alternates")
		f, err := os.Open(file)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			path := strings.TrimSpace(sc.Text())
			if path == "" || strings.HasPrefix(path, "#") {
				continue
			}
			if !filepath.IsAbs(path) {
				path = filepath.Join(dir, path)
			}
			path = filepath.Clean(path)
			if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
				return fmt.Errorf("%s:%d: alternate object directory %q does not exist or is not a directory; restore it, or run `git repack -a -d` and remove %s to make the clone self-contained", file, line, path, file)
			}
			if seen[path] {
				continue
			}
			seen[path] = true
			out = append(out, path)
			if depth < maxAlternateDepth {
				if err := follow(path, depth+1); err != nil {
					return err
				}
			}
		}
		return sc.Err()
	}
	return out, follow(objectsDir, 0)
}

// openAlternates opens each alternate object directory once, keeping its
// pack files open (go-git itself would reopen every alternate and re-read
// its pack indexes on every object it does not find locally, which makes a
// shared clone of a large history take hours).
func openAlternates(dirs []string) []*filesystem.Storage {
	var out []*filesystem.Storage
	for _, d := range dirs {
		// go-git reads objects from "objects" under a git directory.
		fs := chroot.New(mount.New(memfs.New(), "objects", osfs.New(d)), "")
		out = append(out, filesystem.NewStorageWithOptions(fs, cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true}))
	}
	return out
}

// alternatesHidden is a git directory's file system with
// objects/info/alternates hidden from go-git (openAlternates serves them).
type alternatesHidden struct{ billy.Filesystem }

var alternatesFile = filepath.Join("objects", "info", "alternates")

func (fs alternatesHidden) Open(name string) (billy.File, error) {
	if filepath.Clean(name) == alternatesFile {
		return nil, os.ErrNotExist
	}
	return fs.Filesystem.Open(name)
}

func (fs alternatesHidden) OpenFile(name string, flag int, perm os.FileMode) (billy.File, error) {
	if filepath.Clean(name) == alternatesFile {
		return nil, os.ErrNotExist
	}
	return fs.Filesystem.OpenFile(name, flag, perm)
}

// fromAlternates looks an object up in the alternates, in order.
func fromAlternates(alts []*filesystem.Storage, t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	for _, a := range alts {
		o, err := a.EncodedObject(t, h)
		if err == nil {
			return o, nil
		}
		if !errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, err
		}
	}
	return nil, plumbing.ErrObjectNotFound
}
