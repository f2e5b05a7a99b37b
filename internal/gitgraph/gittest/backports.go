package gittest

// Backports builds a small repository whose backports only patch identity
// can find (bare when bare is set): main fixes gh-9 in c2 ("(#10)"); the
// 3.10 branch carries b2, the same change with other whitespace and a
// "[3.10] gh-9" title without trailer or (GH-10), released in v3.10.1; the
// 3.9 branch carries d2, a different change with the same issue in its
// title, released in v3.9.1. Each commit changes real files, so its patch
// needs trees and blobs.
func Backports(t TB, dir string, bare bool) *Repo {
	r := New(t, dir, bare)
	r.CommitFiles("c1", "Initial", map[string]string{"a.py": "x\n"})
	r.CommitFiles("b1", "Python 3.10.0", map[string]string{"a.py": "x\n", "v": "3.10.0\n"}, "c1")
	r.Tag("v3.10.0", "b1", true)
	r.CommitFiles("d1", "Python 3.9.0", map[string]string{"a.py": "x\n", "v": "3.9.0\n"}, "c1")
	r.Tag("v3.9.0", "d1", true)
	r.CommitFiles("c2", "gh-9: Fix the thing (#10)", map[string]string{"a.py": "x\nfixed\n"}, "c1")
	r.CommitFiles("b2", "[3.10] gh-9: Fix the thing", map[string]string{"a.py": "x\n  fixed\n", "v": "3.10.0\n"}, "b1")
	r.CommitFiles("b3", "Python 3.10.1", map[string]string{"a.py": "x\n  fixed\n", "v": "3.10.1\n"}, "b2")
	r.Tag("v3.10.1", "b3", false)
	r.CommitFiles("d2", "[3.9] gh-9: Fix the thing another way", map[string]string{"a.py": "x\nfixed for 3.9\n", "v": "3.9.0\n"}, "d1")
	r.CommitFiles("d3", "Python 3.9.1", map[string]string{"a.py": "x\nfixed for 3.9\n", "v": "3.9.1\n"}, "d2")
	r.Tag("v3.9.1", "d3", true)
	r.CommitFiles("c3", "gh-11: Other work (#12)", map[string]string{"a.py": "x\nfixed\n", "b.py": "y\n"}, "c2")
	r.Tag("v3.11.0a1", "c3", true)
	r.Branch("main", "c3")
	r.Branch("3.10", "b3")
	r.Branch("3.9", "d3")
	r.Head("main")
	return r
}
