package gitgraph

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	cgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
	"github.com/go-git/go-git/v5/plumbing/object"
)

type loader struct {
	repo     *git.Repository
	gitDir   string
	partial  bool
	progress io.Writer

	tick ticker // progress at most once a second, from the first second on

	cg   cgraph.Index
	g    *Graph
	num  map[plumbing.Hash]uint32 // commits numbered so far
	open map[plumbing.Hash]openNode
}

// ticker paces progress lines: due once a second, the first after a second,
// so short loads print nothing.
type ticker struct {
	next    time.Time
	printed bool
}

func (t *ticker) due() bool {
	now := time.Now()
	if t.next.IsZero() {
		t.next = now.Add(time.Second)
		return false
	}
	if now.Before(t.next) {
		return false
	}
	t.next = now.Add(time.Second)
	t.printed = true
	return true
}

// openNode is a commit whose parents are being numbered.
type openNode struct {
	parents []plumbing.Hash
	time    int64
}

// node is a commit's parents and time, from the commit-graph or the object.
func (l *loader) node(h plumbing.Hash) ([]plumbing.Hash, int64, error) {
	if l.cg != nil {
		if i, err := l.cg.GetIndexByHash(h); err == nil {
			d, err := l.cg.GetCommitDataByIndex(i)
			if err == nil {
				return d.ParentHashes, d.When.Unix(), nil
			}
		}
	}
	obj, err := l.repo.Storer.EncodedObject(plumbing.CommitObject, h)
	if err != nil {
		return nil, 0, err
	}
	c, err := object.DecodeCommit(l.repo.Storer, obj)
	if err != nil {
		return nil, 0, err
	}
	return c.ParentHashes, c.Committer.When.Unix(), nil
}

func (l *loader) load(raw []rawRef) (*Graph, error) {
	l.cg = openCommitGraph(l.gitDir)
	if l.cg != nil {
		defer l.cg.Close()
	}
	l.g = &Graph{UsedCommitGraph: l.cg != nil}
	l.num = map[plumbing.Hash]uint32{}
	l.open = map[plumbing.Hash]openNode{}
	type tip struct {
		ref                 rawRef
		commit              plumbing.Hash
		time                int64
		annotated, isCommit bool
	}
	var tips []tip
	for _, r := range raw {
		c, t, ann, isCommit, err := peel(l.repo, r.Hash)
		if err != nil {
			return nil, &MissingObjectError{Hash: c, From: r.Name, Partial: l.partial, Err: err}
		}
		tips = append(tips, tip{r, c, t, ann, isCommit})
	}
	for _, t := range tips {
		if t.isCommit {
			if err := l.walk(t.commit, t.ref.Name); err != nil {
				return nil, err
			}
		}
	}
	l.doneProgress()
	for _, t := range tips {
		if !t.isCommit {
			continue // a tag of a tree or blob is no release
		}
		i := l.num[t.commit]
		when := t.time
		if !t.annotated {
			when = l.g.times[i]
		}
		l.g.refs = append(l.g.refs, Ref{Name: t.ref.Name, Commit: i, Time: when, Annotated: t.annotated})
	}
	l.g.parentOff = append(l.g.parentOff, uint32(len(l.g.parents)))
	l.g.buildIndex()
	return l.g, nil
}

// walk numbers every commit reachable from start, parents first, with an
// explicit stack (histories are deep). A missing commit is reported with the
// child that needs it and the ref whose history it is in.
func (l *loader) walk(start plumbing.Hash, from string) error {
	if _, ok := l.num[start]; ok {
		return nil
	}
	type frame struct{ h, child plumbing.Hash }
	stack := []frame{{h: start}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		h := f.h
		if _, ok := l.num[h]; ok {
			stack = stack[:len(stack)-1]
			continue
		}
		n, seen := l.open[h]
		if !seen {
			ps, when, err := l.node(h)
			if err != nil {
				return &MissingObjectError{Hash: h, From: from, Child: f.child, Partial: l.partial, Err: err}
			}
			n = openNode{ps, when}
			l.open[h] = n
			pushed := false
			for k := len(ps) - 1; k >= 0; k-- {
				if _, ok := l.num[ps[k]]; ok {
					continue
				}
				if _, inProgress := l.open[ps[k]]; inProgress {
					return fmt.Errorf("%w: commit %s is its own ancestor", ErrUnsupported, ps[k])
				}
				stack = append(stack, frame{ps[k], h})
				pushed = true
			}
			if pushed {
				continue
			}
		}
		if !l.parentsDone(n.parents) {
			return fmt.Errorf("%w: commit %s: parents not numbered (internal error)", ErrUnsupported, h)
		}
		l.emit(h, n)
		stack = stack[:len(stack)-1]
	}
	return nil
}

func (l *loader) parentsDone(ps []plumbing.Hash) bool {
	for _, p := range ps {
		if _, ok := l.num[p]; !ok {
			return false
		}
	}
	return true
}

func (l *loader) emit(h plumbing.Hash, n openNode) {
	i := uint32(len(l.g.times))
	l.num[h] = i
	l.g.hashes = append(l.g.hashes, h[:]...)
	l.g.times = append(l.g.times, n.time)
	l.g.parentOff = append(l.g.parentOff, uint32(len(l.g.parents)))
	for _, p := range n.parents {
		l.g.parents = append(l.g.parents, l.num[p])
	}
	delete(l.open, h)
	if l.progress != nil && i%1024 == 0 && l.tick.due() {
		fmt.Fprintf(l.progress, "\rloading commit graph: %d commits", i)
	}
}

func (l *loader) doneProgress() {
	if l.progress != nil && l.tick.printed {
		fmt.Fprintf(l.progress, "\rloading commit graph: %d commits, done\n", len(l.g.times))
		if l.cg == nil {
			fmt.Fprintln(l.progress, "hint: `git commit-graph write --reachable` in the repository makes this load much faster")
		}
	}
}

// openCommitGraph opens objects/info/commit-graph or a commit-graph chain,
// read into memory; nil when there is none or it does not parse (the objects
// then serve every lookup).
func openCommitGraph(gitDir string) cgraph.Index {
	objects := filepath.Join(commonDir(gitDir), "objects")
	if idx := openCommitGraphIn(objects); idx != nil {
		return idx
	}
	// git also reads the commit-graph of the object directories it borrows
	// from (git clone --shared does not copy it).
	alts, _ := alternateDirs(objects)
	for _, d := range alts {
		if idx := openCommitGraphIn(d); idx != nil {
			return idx
		}
	}
	return nil
}

// openCommitGraphIn reads the commit-graph file or chain of one object
// directory; nil when it has none or it does not read.
func openCommitGraphIn(objects string) cgraph.Index {
	info := filepath.Join(objects, "info")
	if data, err := os.ReadFile(filepath.Join(info, "commit-graph")); err == nil {
		idx, err := cgraph.OpenFileIndex(memFile{bytes.NewReader(data)})
		if err == nil {
			return idx
		}
		return nil
	}
	chain, err := os.ReadFile(filepath.Join(info, "commit-graphs", "commit-graph-chain"))
	if err != nil {
		return nil
	}
	var idx cgraph.Index
	for _, line := range strings.Fields(string(chain)) {
		data, err := os.ReadFile(filepath.Join(info, "commit-graphs", "graph-"+line+".graph"))
		if err != nil {
			return nil
		}
		next, err := cgraph.OpenFileIndexWithParent(memFile{bytes.NewReader(data)}, idx)
		if err != nil {
			return nil
		}
		idx = next
	}
	return idx
}

type memFile struct{ *bytes.Reader }

func (memFile) Close() error { return nil }
