package gitgraph

// Time returns the committer time of commit i (Unix seconds): the tests
// compare it with the tags' times and across cache round trips.
func (g *Graph) Time(i uint32) int64 { return g.times[i] }

// SetCatFileMin sets how many ref objects make the loader read them with
// git cat-file; it returns the previous value.
func SetCatFileMin(n int) int { old := catFileMin; catFileMin = n; return old }

// PatchCacheName is the patch identity cache's file name.
const PatchCacheName = patchCacheName
