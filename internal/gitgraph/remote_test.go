package gitgraph

import "testing"

func TestSameRepo(t *testing.T) {
	const cpython = "https://github.com/python/cpython"
	for _, u := range []string{cpython, "git@github.com:python/cpython.git", "ssh://git@github.com/python/cpython",
		"https://github.com/python/cpython.git/", "HTTPS://GitHub.com/Python/CPython", "git://github.com/python/cpython.git",
		"https://token@github.com/python/cpython", " https://github.com/python/cpython "} {
		if !SameRepo(cpython, u) {
			t.Errorf("%s should be the same repository", u)
		}
	}
	for _, u := range []string{"https://github.com/pypa/pip", "https://github.com/python/cpython-mirror",
		"https://gitlab.com/python/cpython", "/srv/git/python/cpython", "", "https://github.com/python"} {
		if SameRepo(cpython, u) {
			t.Errorf("%s should differ", u)
		}
	}
}
