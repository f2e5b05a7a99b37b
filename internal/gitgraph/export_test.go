package gitgraph

// Time returns the committer time of commit i (Unix seconds): the tests
// compare it with the tags' times and across cache round trips.
func (g *Graph) Time(i uint32) int64 { return g.times[i] }
