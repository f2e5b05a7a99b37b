package gitgraph

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
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
	repo, err := git.Open(st, nil)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("%s: opening repository: %w", gitDir, err)
	}
	return &repository{repo, st}, nil
}

func (r *repository) Close() error { return r.st.Close() }
