//go:build !linux && !darwin

package build

// exchange would swap two directories atomically; this system has no such
// call, so a rebuild over an existing output is refused rather than leave
// the path missing for a moment.
func exchange(a, b string) error { return errNoExchange }

// tryLock cannot tell a running build's tree from a leftover here, so
// leftovers are kept.
func tryLock(string) (func(), bool) { return nil, false }

// lockDir is a no-op here.
func lockDir(string) (func(), error) { return func() {}, nil }
