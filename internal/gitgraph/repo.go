package gitgraph

import (
	"errors"
	"fmt"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// repository is an open go-git repository that keeps its pack files open
// between object lookups (go-git reopens them on every lookup otherwise,
// which dominates reading every commit of a large history).
type repository struct {
	*git.Repository
	st *filesystem.Storage
}

// openRepo opens the git directory gitDir (a linked work tree's git
// directory uses its commondir for objects and refs).
func openRepo(gitDir string) (*repository, error) {
	var fs = osfs.New(gitDir)
	if c := commonDir(gitDir); c != gitDir {
		fs = dotgit.NewRepositoryFilesystem(osfs.New(gitDir), osfs.New(c))
	}
	// Alternates (git clone --shared or --reference) name absolute object
	// directories: resolve them from the file system root.
	st := filesystem.NewStorageWithOptions(fs, cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true, AlternatesFS: osfs.New("/")})
	repo, err := git.Open(partialStorer{st}, nil)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("%s: opening repository: %w", gitDir, err)
	}
	return &repository{repo, st}, nil
}

func (r *repository) Close() error { return r.st.Close() }

// partialStorer hides extensions.partialClone from go-git, which refuses
// repositories that set it: the loader reads only commits and tag objects,
// which a partial clone holds, and refuses one that lacks a commit itself.
// It also serves the empty tree and the empty blob, which git knows without
// storing them, so a partial clone never holds them.
type partialStorer struct{ *filesystem.Storage }

var (
	emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")
	emptyBlob = plumbing.NewHash("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
)

func (s partialStorer) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	o, err := s.Storage.EncodedObject(t, h)
	if !errors.Is(err, plumbing.ErrObjectNotFound) {
		return o, err
	}
	typ := plumbing.TreeObject
	switch {
	case h == emptyBlob:
		typ = plumbing.BlobObject
	case h != emptyTree:
		return o, err
	}
	if t != plumbing.AnyObject && t != typ {
		return o, err
	}
	empty := &plumbing.MemoryObject{}
	empty.SetType(typ)
	return empty, nil
}

func (s partialStorer) Config() (*config.Config, error) {
	cfg, err := s.Storage.Config()
	if err != nil || cfg.Raw == nil || !cfg.Raw.HasSection("extensions") {
		return cfg, err
	}
	cfg.Raw.Section("extensions").RemoveOption("partialclone")
	return cfg, nil
}
