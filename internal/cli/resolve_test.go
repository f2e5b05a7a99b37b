package cli

import "testing"

func TestSameRepo(t *testing.T) {
	same := []string{"https://github.com/python/cpython", "git@github.com:python/cpython.git", "ssh://git@github.com/python/cpython", "https://github.com/python/cpython.git/", "HTTPS://GitHub.com/Python/CPython"}
	for _, u := range same {
		if !sameRepo("https://github.com/python/cpython", u) {
			t.Errorf("%s should be the same repository", u)
		}
	}
	for _, u := range []string{"https://github.com/pypa/pip", "https://github.com/python/cpython-mirror", "https://gitlab.com/python/cpython"} {
		if sameRepo("https://github.com/python/cpython", u) {
			t.Errorf("%s should differ", u)
		}
	}
}
