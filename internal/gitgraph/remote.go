package gitgraph

import (
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
)

// SameRepo reports whether two remote URLs name the same repository: same
// host and path, whatever the transport, user, ".git" suffix, trailing
// slash or letter case (https://github.com/python/cpython,
// git@github.com:python/cpython.git and ssh://git@github.com/python/cpython
// are one). URLs that do not parse are never the same as anything.
func SameRepo(a, b string) bool {
	ka, okA := repoKey(a)
	kb, okB := repoKey(b)
	return okA && okB && ka == kb
}

func repoKey(u string) (string, bool) {
	e, err := transport.NewEndpoint(strings.TrimSpace(u))
	if err != nil {
		return "", false
	}
	path := strings.Trim(e.Path, "/")
	path = strings.TrimSuffix(path, ".git")
	return strings.ToLower(e.Host + "/" + path), true
}
