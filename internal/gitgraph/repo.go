package gitgraph

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
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
	if data, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(data))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
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
type partialStorer struct{ *filesystem.Storage }

func (s partialStorer) Config() (*config.Config, error) {
	cfg, err := s.Storage.Config()
	if err != nil || cfg.Raw == nil || !cfg.Raw.HasSection("extensions") {
		return cfg, err
	}
	cfg.Raw.Section("extensions").RemoveOption("partialclone")
	return cfg, nil
}
