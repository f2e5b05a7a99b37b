package build

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
)

// errIrregularTree is a tree object not as git writes them (malformed,
// entries out of order or named twice), or a tree entry that is not a
// tree: treeFiles then gives way to the path-by-path walk (legacyFiles),
// whose answers on such trees are go-git's.
var errIrregularTree = errors.New("irregular tree in the database history")

// gitEntry is one entry of a tree object: its name (into the object's
// bytes), whether it is a directory and the object it names.
type gitEntry struct {
	name []byte
	dir  bool
	hash [20]byte
}

// parseTree cuts a tree object into its entries (appended to out), checking
// that it is as git writes it: well formed, entries strictly in git's order
// (a directory's name sorts as if it ended in "/"), no name twice.
func parseTree(data []byte, out []gitEntry) ([]gitEntry, error) {
	out = out[:0]
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp <= 0 {
			return nil, errIrregularTree
		}
		mode, ok := octal(data[:sp])
		if !ok {
			return nil, errIrregularTree
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul <= 0 || len(data) < nul+1+20 {
			return nil, errIrregularTree
		}
		e := gitEntry{name: data[:nul], dir: mode&0o170000 == 0o040000}
		copy(e.hash[:], data[nul+1:nul+21])
		data = data[nul+21:]
		if n := len(out); n > 0 && compareEntries(out[n-1], e) >= 0 {
			return nil, errIrregularTree
		}
		out = append(out, e)
	}
	return out, nil
}

// octal reads a tree entry's mode.
func octal(b []byte) (uint32, bool) {
	var m uint32
	if len(b) > 7 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '7' {
			return 0, false
		}
		m = m<<3 | uint32(c-'0')
	}
	return m, true
}

// compareEntries orders tree entries as git does: by name, a directory's
// name read as if it ended in "/".
func compareEntries(a, b gitEntry) int {
	n := min(len(a.name), len(b.name))
	if c := bytes.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	return int(sortByte(a, n)) - int(sortByte(b, n))
}

// sortByte is the byte of e's sort name at i (its name's length or more):
// "/" after a directory's name, else nothing (-1, before every byte).
func sortByte(e gitEntry, i int) int16 {
	switch {
	case i < len(e.name):
		return int16(e.name[i])
	case i == len(e.name) && e.dir:
		return '/'
	}
	return -1
}

// findEntry finds the entry named name, a directory or not, in entries
// sorted by parseTree.
func findEntry(entries []gitEntry, name string, dir bool) (gitEntry, bool) {
	key := gitEntry{name: []byte(name), dir: dir}
	lo, hi := 0, len(entries)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if compareEntries(entries[m], key) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(entries) && compareEntries(entries[lo], key) == 0 {
		return entries[lo], true
	}
	return gitEntry{}, false
}

// pathNode is a directory of the source files still pending: the files
// directly in it by name and its subdirectories.
type pathNode struct {
	files   map[string]pendingFile
	dirs    map[string]*pathNode
	pending int // files pending in it and under it
}

// pendingFile is a source whose content is HEAD's blob at its path (set
// once HEAD's tree is read: keepHeads).
type pendingFile struct {
	path string // repo-relative
	blob [20]byte
}

func newPathNode() *pathNode {
	return &pathNode{files: map[string]pendingFile{}, dirs: map[string]*pathNode{}}
}

// add puts a file under n at its path's remaining components.
func (n *pathNode) add(parts []string, f pendingFile) {
	n.pending++
	if len(parts) == 1 {
		n.files[parts[0]] = f
		return
	}
	child := n.dirs[parts[0]]
	if child == nil {
		child = newPathNode()
		n.dirs[parts[0]] = child
	}
	child.add(parts[1:], f)
}

// treeFiles tracks source files by comparing trees: a path's content
// landed at the oldest commit of the unbroken run (from HEAD back) holding
// the wanted blob at it. A directory whose tree is the same in a commit and
// its parent holds the same blobs; only the entries of a directory whose
// tree differs are compared, in one merge of the two sorted lists.
type treeFiles struct {
	h     *history
	ml    *mainLine
	root  *pathNode
	tree  [20]byte // the root tree of the commit being stepped
	steps int      // the index in ml of the commit being stepped
	found map[string]sourceLanding
	// The source-dates cache (sourceCacheFormat): its file, the index in
	// ml of the commit it was written at (-1: none) and its files, until
	// that commit is stepped; missed is set when it did not date every
	// file; done are the files dated, for the next one.
	cacheFile string
	cacheAt   int
	cached    map[string]cachedSource
	missed    bool
	done      []doneSource
	// bufs hold the trees being compared, two for each directory depth
	// (the commit's and its parent's).
	bufs []treeBuf
}

// treeBuf is a tree object read and its entries (their names point into
// raw).
type treeBuf struct {
	raw     []byte
	entries []gitEntry
}

// readInto appends everything r holds to buf.
func readInto(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// newTreeFiles starts tracking HEAD's blob at each given path
// (repo-relative): the paths HEAD's tree holds as files are pending, the
// others keep no time (the caller gives them HEAD's).
func (h *history) newTreeFiles(ml *mainLine, head *object.Tree, rels []string) (*treeFiles, error) {
	tf := &treeFiles{h: h, ml: ml, root: newPathNode(), tree: head.Hash, found: make(map[string]sourceLanding, len(rels)), cacheAt: -1}
	for _, rel := range rels {
		if !validTreePath(rel) {
			continue
		}
		tf.root.add(strings.Split(rel, "/"), pendingFile{path: rel})
	}
	if err := tf.keepHeads(tf.tree, tf.root, 0); err != nil {
		return nil, err
	}
	tf.readCache()
	return tf, nil
}

// validTreePath reports whether go-git looks the path up in a tree at all
// (it refuses, for example, a ".." or ".git" component).
func validTreePath(rel string) bool {
	_, err := (&object.Tree{}).FindEntry(rel)
	return errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound)
}

// keepHeads drops from n the files that the tree does not hold as files,
// and sets the blob of the others.
func (tf *treeFiles) keepHeads(tree [20]byte, n *pathNode, depth int) error {
	entries, err := tf.readTree(tree, depth, 0)
	if err != nil {
		return err
	}
	for name, f := range n.files {
		e, ok := findEntry(entries, name, false)
		if !ok {
			delete(n.files, name)
			continue
		}
		f.blob = e.hash
		n.files[name] = f
	}
	for name, child := range n.dirs {
		e, ok, err := tf.dirEntry(entries, name)
		if err != nil {
			return err
		}
		if !ok {
			delete(n.dirs, name)
			continue
		}
		if err := tf.keepHeads(e.hash, child, depth+1); err != nil {
			return err
		}
	}
	n.recount()
	return nil
}

// recount counts the files pending in n and under it (its subdirectories
// counted already).
func (n *pathNode) recount() {
	n.pending = len(n.files)
	for _, c := range n.dirs {
		n.pending += c.pending
	}
}

// dirEntry finds the directory name among entries; an irregular tree when
// an entry that is not a directory has the same name (go-git would take
// that one).
func dirEntry(entries []gitEntry, name string) (gitEntry, bool, error) {
	if _, clash := findEntry(entries, name, false); clash {
		if _, both := findEntry(entries, name, true); both {
			return gitEntry{}, false, errIrregularTree
		}
		return gitEntry{}, false, nil
	}
	e, ok := findEntry(entries, name, true)
	return e, ok, nil
}

// dirEntry is dirEntry, and an irregular tree when the only entry of that
// name is not a directory but names a tree object (go-git would walk into
// it; git itself never writes such an entry).
func (tf *treeFiles) dirEntry(entries []gitEntry, name string) (gitEntry, bool, error) {
	e, ok, err := dirEntry(entries, name)
	if err != nil || ok {
		return e, ok, err
	}
	if f, isFile := findEntry(entries, name, false); isFile {
		if _, err := tf.h.blobs().open(hex.EncodeToString(f.hash[:]), "tree"); err == nil {
			return gitEntry{}, false, errIrregularTree
		}
	}
	return gitEntry{}, false, nil
}

// readTree reads and parses a tree into the buffer of its depth and side
// (0: the commit being stepped, 1: its parent).
func (tf *treeFiles) readTree(hash [20]byte, depth, side int) ([]gitEntry, error) {
	r, err := tf.h.blobs().open(hex.EncodeToString(hash[:]), "tree")
	if err != nil {
		return nil, errIrregularTree // missing, or not a tree: go-git's walk says what it is
	}
	slot := 2*depth + side
	for len(tf.bufs) <= slot {
		tf.bufs = append(tf.bufs, treeBuf{})
	}
	b := &tf.bufs[slot]
	if b.raw, err = readInto(r, b.raw[:0]); err != nil {
		return nil, err
	}
	if b.entries, err = parseTree(b.raw, b.entries); err != nil {
		return nil, err
	}
	return b.entries, nil
}

func (tf *treeFiles) step(_ time.Time, parent *object.Tree) (bool, error) {
	defer func() { tf.steps++ }()
	if tf.steps == tf.cacheAt {
		tf.applyCache(tf.root)
		tf.cached, tf.missed = nil, tf.root.pending > 0
		if !tf.missed {
			return false, nil
		}
	}
	if parent == nil {
		tf.foundAll(tf.root)
		return false, nil
	}
	if err := tf.diff(tf.tree, parent.Hash, tf.root, 0); err != nil {
		return false, err
	}
	tf.tree = parent.Hash
	return tf.root.pending > 0, nil
}

// diff finds the pending files under n whose blob in the parent's tree
// (ptree) is not the one in the commit's (tree): their content landed at
// the commit being stepped.
func (tf *treeFiles) diff(tree, ptree [20]byte, n *pathNode, depth int) error {
	if tree == ptree || n.pending == 0 {
		return nil
	}
	tf.h.treesRead += 2
	cur, err := tf.readTree(tree, depth, 0)
	if err != nil {
		return err
	}
	old, err := tf.readTree(ptree, depth, 1)
	if err != nil {
		return err
	}
	j := 0
	for _, e := range cur {
		for j < len(old) && compareEntries(old[j], e) < 0 {
			j++
		}
		if !e.dir {
			if j < len(old) && compareEntries(old[j], e) == 0 && old[j].hash == e.hash {
				continue
			}
			if f, ok := n.files[string(e.name)]; ok {
				tf.land(f, tf.steps)
				delete(n.files, string(e.name))
			}
			continue
		}
		child := n.dirs[string(e.name)]
		if child == nil || child.pending == 0 {
			continue
		}
		p, ok, err := tf.dirEntry(old, string(e.name))
		switch {
		case err != nil:
			return err
		case !ok:
			tf.foundAll(child)
		case p.hash != e.hash:
			// The deeper trees go to the next depth's buffers: cur and
			// old stay as they are.
			if err := tf.diff(e.hash, p.hash, child, depth+1); err != nil {
				return err
			}
		}
	}
	n.recount()
	return nil
}

// foundAll dates every file pending under n at the commit being stepped.
func (tf *treeFiles) foundAll(n *pathNode) {
	for name, f := range n.files {
		tf.land(f, tf.steps)
		delete(n.files, name)
	}
	for _, c := range n.dirs {
		tf.foundAll(c)
	}
	n.pending = 0
}

// land dates f's blob at the commit of index i in ml.
func (tf *treeFiles) land(f pendingFile, i int) {
	tf.found[f.path] = sourceLanding{blob: f.blob, at: tf.ml.landed[i]}
	if tf.cacheFile != "" {
		tf.done = append(tf.done, doneSource{f.path, cachedSource{blob: f.blob, landed: tf.ml.commits[i].Hash}})
	}
}
