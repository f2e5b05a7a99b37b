package publish

import (
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// snapshot is one tree: every file's blob hash and the parsed records.
type snapshot struct {
	tree     plumbing.Hash // zero for an empty or absent branch
	files    map[string]plumbing.Hash
	records  map[string]recInfo // by path
	problems []string           // records that do not parse
	log      io.Writer          // progress: a line per storeEvery files (nil: none)
}

// storeEvery is how many files storeDir stores between progress lines
// (a variable for tests).
var storeEvery = 10000

func newSnapshot() *snapshot {
	return &snapshot{files: map[string]plumbing.Hash{}, records: map[string]recInfo{}}
}

func (s *snapshot) addFile(p string, hash plumbing.Hash, content func() ([]byte, error)) error {
	s.files[p] = hash
	if !isRecordPath(p) {
		return nil
	}
	b, err := content()
	if err != nil {
		return err
	}
	r, problem := parseRecord(p, hash, b)
	if problem != "" {
		s.problems = append(s.problems, problem)
		return nil
	}
	s.records[p] = r
	return nil
}

// storeDir writes every file of fsys as a blob and every directory as a
// tree into st, and returns the root tree hash and the snapshot. Blobs the
// store already holds (unchanged files) are not written again.
func storeDir(st storer.EncodedObjectStorer, fsys fs.FS, log io.Writer) (*snapshot, error) {
	snap := newSnapshot()
	snap.log = log
	h, _, err := storeTree(st, fsys, ".", snap)
	if err != nil {
		return nil, err
	}
	snap.tree = h
	return snap, nil
}

// storeTree returns the tree hash of dir and whether it holds any file.
func storeTree(st storer.EncodedObjectStorer, fsys fs.FS, dir string, snap *snapshot) (plumbing.Hash, bool, error) {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("reading %s: %w", dir, err)
	}
	var tree object.Tree
	for _, e := range ents {
		p := e.Name()
		if dir != "." {
			p = dir + "/" + e.Name()
		}
		if strings.EqualFold(e.Name(), ".git") {
			return plumbing.ZeroHash, false, fmt.Errorf("%s: the output directory must not hold a .git entry", p)
		}
		switch {
		case e.IsDir():
			h, nonEmpty, err := storeTree(st, fsys, p, snap)
			if err != nil {
				return plumbing.ZeroHash, false, err
			}
			if nonEmpty {
				tree.Entries = append(tree.Entries, object.TreeEntry{Name: e.Name(), Mode: filemode.Dir, Hash: h})
			}
		case e.Type().IsRegular():
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return plumbing.ZeroHash, false, fmt.Errorf("reading %s: %w", p, err)
			}
			h, err := storeBlob(st, b)
			if err != nil {
				return plumbing.ZeroHash, false, err
			}
			if err := snap.addFile(p, h, func() ([]byte, error) { return b, nil }); err != nil {
				return plumbing.ZeroHash, false, err
			}
			if n := len(snap.files); snap.log != nil && n%storeEvery == 0 {
				fmt.Fprintf(snap.log, "storing the output: %d files\n", n)
			}
			tree.Entries = append(tree.Entries, object.TreeEntry{Name: e.Name(), Mode: filemode.Regular, Hash: h})
		default:
			return plumbing.ZeroHash, false, fmt.Errorf("%s is not a regular file or directory (%s)", p, e.Type())
		}
	}
	if len(tree.Entries) == 0 {
		return plumbing.ZeroHash, false, nil
	}
	sortTreeEntries(tree.Entries)
	h, err := storeObject(st, &tree)
	return h, true, err
}

// sortTreeEntries orders entries as git does: by name, a directory compared
// as if its name ended in '/'.
func sortTreeEntries(es []object.TreeEntry) {
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(es, func(i, j int) bool { return key(es[i]) < key(es[j]) })
}

func storeBlob(st storer.EncodedObjectStorer, b []byte) (plumbing.Hash, error) {
	h := plumbing.ComputeHash(plumbing.BlobObject, b)
	if st.HasEncodedObject(h) == nil {
		return h, nil
	}
	obj := st.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(b)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(b); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return st.SetEncodedObject(obj)
}

type encoder interface {
	Encode(plumbing.EncodedObject) error
}

func storeObject(st storer.EncodedObjectStorer, o encoder) (plumbing.Hash, error) {
	obj := st.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return st.SetEncodedObject(obj)
}

// readCommit returns the snapshot of a published commit's tree; the zero
// hash gives an empty snapshot.
func readCommit(st storer.EncodedObjectStorer, commit plumbing.Hash) (*snapshot, error) {
	snap := newSnapshot()
	if commit.IsZero() {
		return snap, nil
	}
	t, err := commitTree(st, commit)
	if err != nil {
		return nil, err
	}
	snap.tree = t.Hash
	err = t.Files().ForEach(func(f *object.File) error {
		return snap.addFile(f.Name, f.Hash, func() ([]byte, error) {
			r, err := f.Reader()
			if err != nil {
				return nil, err
			}
			defer r.Close()
			return io.ReadAll(r)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading the published tree: %w", err)
	}
	return snap, nil
}

// commitTree reads the tree of a published commit.
func commitTree(st storer.EncodedObjectStorer, commit plumbing.Hash) (*object.Tree, error) {
	c, err := object.GetCommit(st, commit)
	if err != nil {
		return nil, fmt.Errorf("reading published commit %s: %w", commit, err)
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("reading the tree of %s: %w", commit, err)
	}
	return t, nil
}
