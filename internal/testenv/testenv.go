// Package testenv gives tests the shared test data: the OSV schema and real
// records, CVE records and CPython release data kept in ../shared beside the
// checkout. Tests read them in place and never copy them into the project.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedDir returns the absolute path of the shared test data directory. It
// looks for a "shared" directory holding DESIGN.md beside the module root,
// walking up from the test's working directory; $ADVISORY_SHARED overrides.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir, err := sharedDir()
	if err != nil {
		t.Fatalf("shared test data not found (set ADVISORY_SHARED or check out ../shared beside the repository): %v", err)
	}
	return dir
}

func sharedDir() (string, error) {
	if d := os.Getenv("ADVISORY_SHARED"); d != "" {
		return filepath.Abs(d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			cand := filepath.Join(filepath.Dir(d), "shared")
			if _, err := os.Stat(filepath.Join(cand, "DESIGN.md")); err != nil {
				return "", err
			}
			return cand, nil
		}
		if filepath.Dir(d) == d {
			return "", os.ErrNotExist
		}
	}
}

// Shared joins elements onto the shared directory.
func Shared(t testing.TB, elem ...string) string {
	return filepath.Join(append([]string{SharedDir(t)}, elem...)...)
}
