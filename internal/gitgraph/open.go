package gitgraph

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

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
	// Computing, when set, is called (once) before the graph is loaded
	// from the repository or a table computed, rather than read from the
	// cache: work that allocates with the size of the history, where a
	// run the cache serves allocates little (`versions` keeps the garbage
	// collector off until then).
	Computing func()
}

// Errors that tell why a repository cannot be used.
var (
	ErrShallow     = errors.New("shallow clone: its history is cut, so tags before the cut would read as not affected (run `git fetch --unshallow`, or clone without --depth)")
	ErrUnsupported = errors.New("unsupported repository")
)

// MissingObjectError is an object that history needs but the repository
// lacks.
type MissingObjectError struct {
	Hash plumbing.Hash
	// From is the ref whose history needs the object.
	From string
	// Child is the commit whose parent the object is (zero for a ref's own
	// object).
	Child plumbing.Hash
	// Partial tells that the repository is a partial clone.
	Partial bool
	Err     error
}

func (e *MissingObjectError) Error() string {
	need := "in the history of " + e.From
	if !e.Child.IsZero() {
		need = fmt.Sprintf("parent of %s, %s", e.Child, need)
	}
	fix := "the repository is incomplete or corrupt (run `git fsck`, re-clone)"
	if e.Partial {
		fix = "this partial clone lacks a commit, and a missing commit would read as not affected: every commit must be present (clone with --filter=tree:0 or --filter=blob:none and without --depth, or run `git fetch` from the promisor remote)"
	}
	return fmt.Sprintf("object %s (%s) is missing or unreadable: %v; %s", e.Hash, need, e.Err, fix)
}

func (e *MissingObjectError) Unwrap() error { return e.Err }

// Open loads the commit graph of the repository at dir (a work tree or a
// bare repository).
func Open(dir string, opts Options) (*Graph, error) {
	gitDir, err := findGitDir(dir)
	if err != nil {
		return nil, err
	}
	partial, err := checkLayout(gitDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	refs, err := readRefs(gitDir)
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
			g.Dir, g.gitDir, g.FromCache, g.Partial, g.cacheDir = dir, gitDir, true, partial, cacheDir
			g.computing = onceOrNothing(opts.Computing)
			return g, nil
		}
	}
	computing := onceOrNothing(opts.Computing)
	computing()
	repo, err := openRepo(gitDir) // only a load reads objects
	if err != nil {
		return nil, err
	}
	defer repo.Close()
	l := &loader{repo: repo.Repository, gitDir: gitDir, partial: partial, progress: opts.Progress}
	g, err := l.load(refs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	g.Dir, g.gitDir, g.key, g.Partial, g.computing = dir, gitDir, key, partial, computing
	if !opts.NoCache && cacheDir != "" {
		_ = writeCache(cacheDir, g) // a cache that cannot be written only costs time
		g.cacheDir = cacheDir
	}
	return g, nil
}

// onceOrNothing is f made safe to call more than once, or a function that
// does nothing for a nil f.
func onceOrNothing(f func()) func() {
	if f == nil {
		return func() {}
	}
	return sync.OnceFunc(f)
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

// checkLayout refuses shallow clones, grafts and repositories whose object
// format go-git cannot read, and tells whether the repository is a partial
// clone (a promisor pack or remote): one is loaded like any other, and a
// commit it lacks is refused by the loader.
func checkLayout(gitDir string) (partial bool, err error) {
	common := commonDir(gitDir)
	if fi, err := os.Stat(filepath.Join(common, "shallow")); err == nil && fi.Size() > 0 {
		return false, ErrShallow
	}
	if fi, err := os.Stat(filepath.Join(common, "info", "grafts")); err == nil && fi.Size() > 0 {
		return false, fmt.Errorf("%w: info/grafts rewrites parents; remove it", ErrUnsupported)
	}
	promisor, _ := filepath.Glob(filepath.Join(common, "objects", "pack", "*.promisor"))
	partial, err = checkConfig(filepath.Join(common, "config"))
	return partial || len(promisor) > 0, err
}

// commonDir is the directory holding the objects, refs and config of the
// git directory gitDir (a linked work tree's names it in "commondir").
func commonDir(gitDir string) string {
	data, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return gitDir
	}
	c := strings.TrimSpace(string(data))
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitDir, c)
	}
	return c
}

// readConfig parses the repository config file at path.
func readConfig(path string) (*formatcfg.Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	defer f.Close()
	cfg := formatcfg.New()
	if err := formatcfg.NewDecoder(f).Decode(cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// checkConfig reads the repository's config file itself, before go-git
// (which refuses some extensions with a less helpful error), and tells
// whether it names a promisor remote.
func checkConfig(path string) (partial bool, err error) {
	cfg, err := readConfig(path)
	if err != nil {
		return false, err
	}
	ext := cfg.Section("extensions")
	if f := ext.Option("objectformat"); f != "" && !strings.EqualFold(f, "sha1") {
		return false, fmt.Errorf("%w: object format %s (only sha1 repositories are supported)", ErrUnsupported, f)
	}
	partial = ext.Option("partialclone") != ""
	for _, s := range cfg.Section("remote").Subsections {
		if strings.EqualFold(s.Option("promisor"), "true") || s.Option("partialclonefilter") != "" {
			partial = true
		}
	}
	return partial, nil
}

// rawRef is a ref as stored: its name and the object it names.
type rawRef struct {
	Name string
	Hash plumbing.Hash
}

// peel follows tag objects to a commit, reading objects with objects. A
// tag object names its target's type, so a tag of a tree or blob is known
// without reading the target (a partial clone may lack it); only a ref
// naming an object directly needs that object.
func peel(repo *git.Repository, objects func(plumbing.ObjectType, plumbing.Hash) (plumbing.EncodedObject, error), h plumbing.Hash) (commit plumbing.Hash, tagTime int64, annotated, isCommit bool, err error) {
	typ := plumbing.AnyObject
	for depth := 0; depth < 16; depth++ {
		switch typ {
		case plumbing.CommitObject:
			return h, tagTime, annotated, true, nil
		case plumbing.TreeObject, plumbing.BlobObject:
			return h, tagTime, annotated, false, nil
		}
		obj, err := objects(plumbing.AnyObject, h)
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
			h, typ = t.Target, t.TargetType
		default:
			return h, tagTime, annotated, false, nil
		}
	}
	return h, 0, annotated, false, fmt.Errorf("tag chain too deep")
}

// RemoteURLs returns the URLs of the repository's remotes, sorted by remote
// name (used to tell which product a clone is of).
func RemoteURLs(dir string) []string {
	gitDir, err := findGitDir(dir)
	if err != nil {
		return nil
	}
	repo, err := openRepo(gitDir)
	if err != nil {
		return nil
	}
	defer repo.Close()
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
