package gitgraph

import "github.com/go-git/go-git/v5/plumbing/object"

// Time returns the committer time of commit i (Unix seconds), read from
// its object (the graph keeps none): the tests compare it with the tags'
// times.
func (g *Graph) Time(i uint32) int64 {
	repo, err := openRepo(g.gitDir)
	if err != nil {
		panic(err)
	}
	defer repo.Close()
	c, err := object.GetCommit(repo.Storer, g.Hash(i))
	if err != nil {
		panic(err)
	}
	return c.Committer.When.Unix()
}

// SetCatFileMin sets how many ref objects make the loader read them with
// git cat-file; it returns the previous value.
func SetCatFileMin(n int) int { old := catFileMin; catFileMin = n; return old }

// PatchCacheName is the patch identity cache's file name.
const PatchCacheName = patchCacheName
