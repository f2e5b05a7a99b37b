package gitgraph

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	formatcfg "github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Options tune Open.
type Options struct {
	// CacheDir holds cached graphs; "" means DefaultCacheDir(). Set NoCache
	// to neither read nor write the cache.
	CacheDir string
	NoCache  bool
	// Progress receives progress lines for long loads (nil: silent).
	Progress io.Writer
}

// Errors that tell why a repository cannot be used.
var (
	ErrShallow     = errors.New("shallow clone: its history is cut, so tags before the cut would read as not affected (run `git fetch --unshallow`, or clone without --depth)")
	ErrPartial     = errors.New("partial clone (promisor remote): objects may be missing and would read as not affected (clone without --filter)")
	ErrUnsupported = errors.New("unsupported repository")
)

// MissingObjectError is an object that history needs but the repository
// lacks.
type MissingObjectError struct {
	Hash plumbing.Hash
	// From is the ref whose history needs the object.
	From string
	Err  error
}

func (e *MissingObjectError) Error() string {
	return fmt.Sprintf("object %s (in the history of %s) is missing or unreadable: %v; the repository is incomplete or corrupt (run `git fsck`, re-clone)", e.Hash, e.From, e.Err)
}

func (e *MissingObjectError) Unwrap() error { return e.Err }

// Open loads the commit graph of the repository at dir (a work tree or a
// bare repository).
func Open(dir string, opts Options) (*Graph, error) {
	gitDir, err := findGitDir(dir)
	if err != nil {
		return nil, err
	}
	if err := checkLayout(gitDir); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	repo, err := openRepo(gitDir)
	if err != nil {
		return nil, err
	}
	defer repo.Close()
	refs, err := listRefs(repo.Repository)
	if err != nil {
		return nil, fmt.Errorf("%s: reading refs: %w", dir, err)
	}
	key := cacheKey(refs)
	cacheDir := opts.CacheDir
	if cacheDir == "" && !opts.NoCache {
		cacheDir = DefaultCacheDir()
	}
	if !opts.NoCache && cacheDir != "" {
		if g, err := readCache(cacheDir, key); err == nil {
			g.Dir, g.gitDir, g.FromCache = dir, gitDir, true
			return g, nil
		}
	}
	l := &loader{repo: repo.Repository, gitDir: gitDir, progress: opts.Progress}
	g, err := l.load(refs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	g.Dir, g.gitDir, g.key = dir, gitDir, key
	if !opts.NoCache && cacheDir != "" {
		_ = writeCache(cacheDir, g) // a cache that cannot be written only costs time
	}
	return g, nil
}

// findGitDir returns the git directory of a work tree or bare repository.
func findGitDir(dir string) (string, error) {
	dot := filepath.Join(dir, ".git")
	fi, err := os.Stat(dot)
	switch {
	case err == nil && fi.IsDir():
		return dot, nil
	case err == nil:
		data, err := os.ReadFile(dot)
		if err != nil {
			return "", err
		}
		p, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir: ")
		if !ok {
			return "", fmt.Errorf("%s: not a gitdir file", dot)
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return p, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "objects")); err == nil {
		if _, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%s: not a git repository (no .git directory, and not a bare repository)", dir)
}

// checkLayout refuses shallow clones, promisor packs, grafts and repositories
// whose object format go-git cannot read.
func checkLayout(gitDir string) error {
	common := gitDir
	if data, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(data))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		common = c
	}
	if fi, err := os.Stat(filepath.Join(common, "shallow")); err == nil && fi.Size() > 0 {
		return ErrShallow
	}
	if fi, err := os.Stat(filepath.Join(common, "info", "grafts")); err == nil && fi.Size() > 0 {
		return fmt.Errorf("%w: info/grafts rewrites parents; remove it", ErrUnsupported)
	}
	promisor, _ := filepath.Glob(filepath.Join(common, "objects", "pack", "*.promisor"))
	if len(promisor) > 0 {
		return ErrPartial
	}
	return checkConfig(filepath.Join(common, "config"))
}

// checkConfig reads the repository's config file itself, before go-git
// (which refuses some extensions with a less helpful error).
func checkConfig(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading config: %w", err)
	}
	defer f.Close()
	cfg := formatcfg.New()
	if err := formatcfg.NewDecoder(f).Decode(cfg); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	ext := cfg.Section("extensions")
	if ext.Option("partialclone") != "" || ext.Option("partialClone") != "" {
		return ErrPartial
	}
	if f := ext.Option("objectformat"); f != "" && !strings.EqualFold(f, "sha1") {
		return fmt.Errorf("%w: object format %s (only sha1 repositories are supported)", ErrUnsupported, f)
	}
	for _, s := range cfg.Section("remote").Subsections {
		if strings.EqualFold(s.Option("promisor"), "true") || s.Option("partialclonefilter") != "" {
			return ErrPartial
		}
	}
	return nil
}

// rawRef is a ref as stored: its name and the object it names.
type rawRef struct {
	Name string
	Hash plumbing.Hash
}

// listRefs returns the branch, tag and remote-tracking refs, sorted by name.
// A detached HEAD counts as a ref too.
func listRefs(repo *git.Repository) ([]rawRef, error) {
	iter, err := repo.References()
	if err != nil {
		return nil, err
	}
	var refs []rawRef
	err = iter.ForEach(func(r *plumbing.Reference) error {
		if r.Type() != plumbing.HashReference {
			return nil
		}
		name := r.Name().String()
		switch {
		case strings.HasPrefix(name, "refs/replace/"):
			return fmt.Errorf("%w: replace ref %s changes history; delete it", ErrUnsupported, name)
		case strings.HasPrefix(name, "refs/heads/"), strings.HasPrefix(name, "refs/tags/"),
			strings.HasPrefix(name, "refs/remotes/"), name == "HEAD":
			refs = append(refs, rawRef{Name: name, Hash: r.Hash()})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Name < refs[j].Name })
	return refs, nil
}

// peel follows tag objects to a commit.
func peel(repo *git.Repository, h plumbing.Hash) (commit plumbing.Hash, tagTime int64, annotated, isCommit bool, err error) {
	for depth := 0; depth < 16; depth++ {
		obj, err := repo.Storer.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return h, 0, annotated, false, err
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return h, tagTime, annotated, true, nil
		case plumbing.TagObject:
			t, err := object.DecodeTag(repo.Storer, obj)
			if err != nil {
				return h, 0, annotated, false, err
			}
			if !annotated {
				tagTime = t.Tagger.When.Unix()
			}
			annotated = true
			h = t.Target
		default:
			return h, tagTime, annotated, false, nil
		}
	}
	return h, 0, annotated, false, fmt.Errorf("tag chain too deep")
}

// RemoteURLs returns the URLs of the repository's remotes, sorted by remote
// name (used to tell which product a clone is of).
func RemoteURLs(dir string) []string {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		return nil
	}
	remotes, err := repo.Remotes()
	if err != nil {
		return nil
	}
	sort.Slice(remotes, func(i, j int) bool { return remotes[i].Config().Name < remotes[j].Config().Name })
	var out []string
	for _, r := range remotes {
		out = append(out, r.Config().URLs...)
	}
	return out
}
