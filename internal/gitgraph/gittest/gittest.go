// Package gittest builds real git repositories for tests with go-git:
// commits with chosen parents and messages, branches, annotated and
// lightweight tags, all with fixed times so that hashes are reproducible.
package gittest

import (
	"sort"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

// Epoch is the time of the first commit; each commit is one hour later.
var Epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// TB is the part of testing.TB the builders use.
type TB interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// Repo is a repository under construction.
type Repo struct {
	Dir     string
	t       TB
	repo    *git.Repository
	st      storage.Storer
	n       int
	commits map[string]plumbing.Hash
}

// New creates a repository in dir (bare or with a work tree).
func New(t TB, dir string, bare bool) *Repo {
	t.Helper()
	r, err := git.PlainInit(dir, bare)
	if err != nil {
		t.Fatal(err)
	}
	return &Repo{Dir: dir, t: t, repo: r, st: r.Storer, commits: map[string]plumbing.Hash{}}
}

// Now is the time the next commit gets.
func (r *Repo) Now() time.Time { return Epoch.Add(time.Duration(r.n) * time.Hour) }

func (r *Repo) sig() object.Signature {
	return object.Signature{Name: "Test Author", Email: "author@example.org", When: r.Now()}
}

// Commit records a commit labelled name whose parents are the commits
// labelled parents, with a file NEWS holding the message, and returns its hash.
func (r *Repo) Commit(name, msg string, parents ...string) plumbing.Hash {
	r.t.Helper()
	return r.CommitFiles(name, msg, map[string]string{"NEWS": msg + "\n"}, parents...)
}

// CommitFiles is Commit with a tree holding exactly files (name -> content).
func (r *Repo) CommitFiles(name, msg string, files map[string]string, parents ...string) plumbing.Hash {
	r.t.Helper()
	tree := &object.Tree{}
	for _, fn := range sortedNames(files) {
		blob := r.st.NewEncodedObject()
		blob.SetType(plumbing.BlobObject)
		w, _ := blob.Writer()
		w.Write([]byte(files[fn]))
		w.Close()
		tree.Entries = append(tree.Entries, object.TreeEntry{Name: fn, Mode: filemode.Regular, Hash: r.store(blob)})
	}
	to := r.st.NewEncodedObject()
	if err := tree.Encode(to); err != nil {
		r.t.Fatal(err)
	}
	th := r.store(to)
	c := &object.Commit{Author: r.sig(), Committer: r.sig(), Message: msg + "\n", TreeHash: th}
	for _, p := range parents {
		c.ParentHashes = append(c.ParentHashes, r.Hash(p))
	}
	co := r.st.NewEncodedObject()
	if err := c.Encode(co); err != nil {
		r.t.Fatal(err)
	}
	h := r.store(co)
	if _, dup := r.commits[name]; dup {
		r.t.Fatalf("gittest: label %q used twice", name)
	}
	r.commits[name] = h
	r.n++
	return h
}

func sortedNames(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (r *Repo) store(o plumbing.EncodedObject) plumbing.Hash {
	h, err := r.st.SetEncodedObject(o)
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

// Hash returns the hash of the commit labelled name.
func (r *Repo) Hash(name string) plumbing.Hash {
	r.t.Helper()
	h, ok := r.commits[name]
	if !ok {
		r.t.Fatalf("gittest: no commit labelled %q", name)
	}
	return h
}

// Hex is Hash as a string.
func (r *Repo) Hex(name string) string { return r.Hash(name).String() }

// Branch points refs/heads/<branch> at the commit labelled name.
func (r *Repo) Branch(branch, name string) {
	r.setRef(plumbing.NewBranchReferenceName(branch), r.Hash(name))
}

// DeleteBranch removes refs/heads/<branch>.
func (r *Repo) DeleteBranch(branch string) {
	if err := r.st.RemoveReference(plumbing.NewBranchReferenceName(branch)); err != nil {
		r.t.Fatal(err)
	}
}

// Tag tags the commit labelled name: annotated (a tag object with a tagger
// date one minute after the commit's) or lightweight.
func (r *Repo) Tag(tag, name string, annotated bool) {
	r.t.Helper()
	target := r.Hash(name)
	if !annotated {
		r.setRef(plumbing.NewTagReferenceName(tag), target)
		return
	}
	c, err := object.GetCommit(r.st, target)
	if err != nil {
		r.t.Fatal(err)
	}
	sig := object.Signature{Name: "Release Manager", Email: "rm@example.org", When: c.Committer.When.Add(time.Minute)}
	to := &object.Tag{Name: tag, Tagger: sig, Message: "Python " + tag + "\n", TargetType: plumbing.CommitObject, Target: target}
	o := r.st.NewEncodedObject()
	if err := to.Encode(o); err != nil {
		r.t.Fatal(err)
	}
	r.setRef(plumbing.NewTagReferenceName(tag), r.store(o))
}

func (r *Repo) setRef(name plumbing.ReferenceName, h plumbing.Hash) {
	if err := r.st.SetReference(plumbing.NewHashReference(name, h)); err != nil {
		r.t.Fatal(err)
	}
}

// Head points HEAD at refs/heads/<branch>.
func (r *Repo) Head(branch string) {
	if err := r.st.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName(branch))); err != nil {
		r.t.Fatal(err)
	}
}
