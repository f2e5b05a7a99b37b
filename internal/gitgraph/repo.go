package gitgraph

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/go-git/go-billy/v5"
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
	st   *filesystem.Storage
	alts []*filesystem.Storage
}

// openRepo opens the git directory gitDir (a linked work tree's git
// directory uses its commondir for objects and refs).
func openRepo(gitDir string) (*repository, error) {
	var fs billy.Filesystem = osfs.New(gitDir)
	c := commonDir(gitDir)
	if c != gitDir {
		fs = dotgit.NewRepositoryFilesystem(osfs.New(gitDir), osfs.New(c))
	}
	// Alternates (git clone --shared or --reference) are read here, once,
	// not by go-git (see openAlternates).
	dirs, err := alternateDirs(filepath.Join(c, "objects"))
	if err != nil {
		return nil, err
	}
	st := filesystem.NewStorageWithOptions(alternatesHidden{fs}, cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
	alts := openAlternates(dirs)
	repo, err := git.Open(partialStorer{st, alts}, nil)
	if err != nil {
		st.Close()
		closeAll(alts)
		return nil, fmt.Errorf("%s: opening repository: %w", gitDir, err)
	}
	return &repository{repo, st, alts}, nil
}

func (r *repository) Close() error {
	closeAll(r.alts)
	return r.st.Close()
}

func closeAll(sts []*filesystem.Storage) {
	for _, s := range sts {
		s.Close()
	}
}

// partialStorer hides extensions.partialClone from go-git, which refuses
// repositories that set it: the loader reads only commits and tag objects,
// which a partial clone holds, and refuses one that lacks a commit itself.
// It also serves the empty tree and the empty blob, which git knows without
// storing them, so a partial clone never holds them, and the objects of the
// alternates.
type partialStorer struct {
	*filesystem.Storage
	alts []*filesystem.Storage
}

var (
	emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")
	emptyBlob = plumbing.NewHash("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
)

func (s partialStorer) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	// A borrowing clone holds nearly all its objects in its alternates:
	// they are asked first (objects being content-addressed, the answer
	// is the same either way), sparing a failed local lookup per object.
	o, err := fromAlternates(s.alts, t, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		o, err = s.Storage.EncodedObject(t, h)
	}
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
