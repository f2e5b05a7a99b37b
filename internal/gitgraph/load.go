package gitgraph

import (
	"encoding/binary"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// loader numbers the commits reachable from the refs in topological order.
// Commits are known by slot: a commit in the commit-graph by its position
// there (parents are positions: no hash lookup per edge), any other by a
// slot after them, found through a hash map and decoded from its object.
type loader struct {
	repo     *git.Repository
	gitDir   string
	partial  bool
	progress io.Writer

	tick ticker // progress at most once a second, from the first second on

	cg     *commitGraph // nil without one
	pairs  []uint32     // the commit-graph's parent fields (parentPairs)
	g      *Graph
	num    []uint32 // slot -> commit number + 1; 0 while not numbered
	open   []bool   // slot -> its parents are being numbered
	extra  map[plumbing.Hash]uint32
	extras []extraNode // slots cg.total.. : commits outside the commit-graph
	buf    []uint32
}

// extraNode is a commit outside the commit-graph, decoded from its object.
type extraNode struct {
	hash    plumbing.Hash
	loaded  bool
	parents []uint32 // slots
	time    int64
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

func (l *loader) cgTotal() int {
	if l.cg == nil {
		return 0
	}
	return l.cg.total
}

// slotOf returns the slot of hash h, making one for a commit outside the
// commit-graph.
func (l *loader) slotOf(h plumbing.Hash) uint32 {
	if l.cg != nil {
		if pos, ok := l.cg.find(h[:]); ok {
			return uint32(pos)
		}
	}
	if s, ok := l.extra[h]; ok {
		return s
	}
	s := uint32(l.cgTotal() + len(l.extras))
	l.extra[h] = s
	l.extras = append(l.extras, extraNode{hash: h})
	l.num = append(l.num, 0)
	l.open = append(l.open, false)
	return s
}

func (l *loader) hashOf(s uint32) plumbing.Hash {
	if int(s) < l.cgTotal() {
		return plumbing.Hash(l.cg.hash(int(s)))
	}
	return l.extras[int(s)-l.cgTotal()].hash
}

// node returns the parents of slot s (slots; shared until the next call).
func (l *loader) node(s uint32) ([]uint32, error) {
	if int(s) < l.cgTotal() {
		ps, err := l.cg.parents(int(s), l.pairs[2*s:2*s+2], l.buf[:0])
		l.buf = ps
		return ps, err
	}
	k := int(s) - l.cgTotal()
	if !l.extras[k].loaded {
		obj, err := l.repo.Storer.EncodedObject(plumbing.CommitObject, l.extras[k].hash)
		if err != nil {
			return nil, err
		}
		c, err := object.DecodeCommit(l.repo.Storer, obj)
		if err != nil {
			return nil, err
		}
		ps := make([]uint32, 0, len(c.ParentHashes))
		for _, p := range c.ParentHashes {
			ps = append(ps, l.slotOf(p))
		}
		l.extras[k].parents, l.extras[k].time, l.extras[k].loaded = ps, c.Committer.When.Unix(), true
	}
	return l.extras[k].parents, nil
}

// timeOf returns the committer time of slot s, numbered already.
func (l *loader) timeOf(s uint32) int64 {
	if int(s) < l.cgTotal() {
		layer := l.cg.layer(int(s))
		return int64(binary.BigEndian.Uint64(layer.data[(int(s)-layer.base)*cgEntrySize+28:]) & (1<<34 - 1))
	}
	return l.extras[int(s)-l.cgTotal()].time
}

func (l *loader) load(raw []rawRef) (*Graph, error) {
	l.cg = openCommitGraph(l.gitDir)
	if l.cg != nil {
		var err error
		if l.pairs, err = l.cg.parentPairs(); err != nil {
			l.cg = nil // unusable: the objects serve every commit
		}
	}
	l.g = &Graph{UsedCommitGraph: l.cg != nil}
	if n := l.cgTotal(); n > 0 { // room for every commit of the graph file
		l.g.hashes = make([]byte, 0, 20*n)
		l.g.parentOff = make([]uint32, 0, n+1)
		l.g.parents = make([]uint32, 0, n+n/8)
	}
	l.num = make([]uint32, l.cgTotal())
	l.open = make([]bool, l.cgTotal())
	l.extra = map[plumbing.Hash]uint32{}
	type tip struct {
		ref                 rawRef
		commit              plumbing.Hash
		time                int64
		annotated, isCommit bool
	}
	var tips []tip
	var toPeel []plumbing.Hash
	for _, r := range raw {
		if !l.inCommitGraph(r.Hash) {
			toPeel = append(toPeel, r.Hash)
		}
	}
	objects := l.repo.Storer.EncodedObject
	if len(toPeel) >= catFileMin {
		read := readObjects(l.gitDir, toPeel)
		objects = func(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
			if o, ok := read[h]; ok {
				return o, nil
			}
			return l.repo.Storer.EncodedObject(t, h)
		}
	}
	for _, r := range raw {
		if l.inCommitGraph(r.Hash) { // a commit: no object to read
			tips = append(tips, tip{r, r.Hash, 0, false, true})
			continue
		}
		c, t, ann, isCommit, err := peel(l.repo, objects, r.Hash)
		if err != nil {
			return nil, &MissingObjectError{Hash: c, From: r.Name, Partial: l.partial, Err: err}
		}
		tips = append(tips, tip{r, c, t, ann, isCommit})
	}
	for _, t := range tips {
		if t.isCommit {
			if err := l.walk(l.slotOf(t.commit), t.ref.Name); err != nil {
				return nil, err
			}
		}
	}
	l.doneProgress()
	l.fillFromCommitGraph()
	for _, t := range tips {
		if !t.isCommit {
			continue // a tag of a tree or blob is no release
		}
		s := l.slotOf(t.commit)
		i := l.num[s] - 1
		when := t.time
		if !t.annotated {
			when = l.timeOf(s)
		}
		l.g.refs = append(l.g.refs, Ref{Name: t.ref.Name, Commit: i, Time: when, Annotated: t.annotated})
	}
	l.g.parentOff = append(l.g.parentOff, uint32(len(l.g.parents)))
	l.g.sorted = l.sortedByHash()
	return l.g, nil
}

// inCommitGraph tells whether h is a commit of the commit-graph file.
func (l *loader) inCommitGraph(h plumbing.Hash) bool {
	if l.cg == nil {
		return false
	}
	_, ok := l.cg.find(h[:])
	return ok
}

// sortedByHash returns the commit numbers in hash order: read off the
// commit-graph when it is one file holding every commit (its commits are
// sorted by hash), else sorted.
func (l *loader) sortedByHash() []uint32 {
	if l.cg != nil && len(l.cg.layers) == 1 && len(l.extras) == 0 {
		out := make([]uint32, 0, l.g.Len())
		for _, n := range l.num {
			if n != 0 {
				out = append(out, n-1)
			}
		}
		return out
	}
	return sortByHash(l.g)
}

func sortByHash(g *Graph) []uint32 {
	out := make([]uint32, g.Len())
	for i := range out {
		out[i] = uint32(i)
	}
	slices.SortFunc(out, func(a, b uint32) int { return compareHash(g.hashAt(a), g.hashAt(b)) })
	return out
}

// walk numbers every commit reachable from start, parents first, with an
// explicit stack (histories are deep). A missing commit is reported with the
// child that needs it and the ref whose history it is in.
func (l *loader) walk(start uint32, from string) error {
	if l.num[start] != 0 {
		return nil
	}
	const none = ^uint32(0)
	type frame struct{ s, child uint32 }
	stack := []frame{{start, none}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		if l.num[f.s] != 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		ps, err := l.node(f.s)
		if err != nil {
			var child plumbing.Hash
			if f.child != none {
				child = l.hashOf(f.child)
			}
			return &MissingObjectError{Hash: l.hashOf(f.s), From: from, Child: child, Partial: l.partial, Err: err}
		}
		if !l.open[f.s] {
			l.open[f.s] = true
			pushed := false
			for k := len(ps) - 1; k >= 0; k-- {
				p := ps[k]
				if l.num[p] != 0 {
					continue
				}
				if l.open[p] {
					return fmt.Errorf("%w: commit %s is its own ancestor", ErrUnsupported, l.hashOf(p))
				}
				stack = append(stack, frame{p, f.s})
				pushed = true
			}
			if pushed {
				continue
			}
		}
		if err := l.emit(f.s, ps); err != nil {
			return err
		}
		stack = stack[:len(stack)-1]
	}
	return nil
}

// emit numbers slot s. The hash of a commit of the commit-graph is left
// zero, for fillFromCommitGraph.
func (l *loader) emit(s uint32, parents []uint32) error {
	i := uint32(l.g.n)
	l.g.n++
	var h plumbing.Hash
	if int(s) >= l.cgTotal() {
		h = l.hashOf(s)
	}
	l.g.hashes = append(l.g.hashes, h[:]...)
	l.g.parentOff = append(l.g.parentOff, uint32(len(l.g.parents)))
	for _, p := range parents {
		if l.num[p] == 0 {
			return fmt.Errorf("%w: commit %s: parents not numbered (internal error)", ErrUnsupported, l.hashOf(s))
		}
		l.g.parents = append(l.g.parents, l.num[p]-1)
	}
	l.num[s] = i + 1
	l.open[s] = false
	if l.progress != nil && i%1024 == 0 && l.tick.due() {
		fmt.Fprintf(l.progress, "\rloading commit graph: %d commits", i)
	}
	return nil
}

// fillFromCommitGraph copies the hash of every numbered commit of the
// commit-graph, reading the file in position order (sequentially) rather
// than in the walk's order.
func (l *loader) fillFromCommitGraph() {
	if l.cg == nil {
		return
	}
	for k := range l.cg.layers {
		layer := &l.cg.layers[k]
		for j, n := range l.num[layer.base : layer.base+layer.n] {
			if n == 0 {
				continue
			}
			i := int(n - 1)
			copy(l.g.hashes[20*i:20*i+20], layer.oids[20*j:])
		}
	}
}

func (l *loader) doneProgress() {
	if l.progress != nil && l.tick.printed {
		fmt.Fprintf(l.progress, "\rloading commit graph: %d commits, done\n", l.g.n)
		if l.cg == nil {
			fmt.Fprintln(l.progress, "hint: `git commit-graph write --reachable` in the repository makes this load much faster")
		}
	}
}

// openCommitGraph reads the commit-graph of the repository's object
// directory, else of the first alternate that has one (git also reads the
// commit-graph of the object directories it borrows from, and git clone
// --shared does not copy it); nil when none is found or it does not parse.
func openCommitGraph(gitDir string) *commitGraph {
	objects := filepath.Join(commonDir(gitDir), "objects")
	if cg := readCommitGraph(objects); cg != nil {
		return cg
	}
	alts, _ := alternateDirs(objects)
	for _, d := range alts {
		if cg := readCommitGraph(d); cg != nil {
			return cg
		}
	}
	return nil
}
