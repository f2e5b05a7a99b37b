// Package testenv gives tests the shared conformance data: the OSV schema and
// real records, CVE records and CPython release data kept in ../shared beside
// the checkout. Tests read them in place and never copy them into the project.
//
// A clone with nothing beside it still passes its tests: a test that needs the
// data skips with one line naming what is missing. Under CI=true (the
// project's CI provides the data) a missing directory fails the test instead.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// SharedDir returns the absolute path of the shared test data directory, or
// skips the test (fails it under CI=true) when there is none. It looks for a
// "shared" directory holding DESIGN.md beside the module root, walking up from
// the test's working directory; $ADVISORY_SHARED overrides.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir, err := Find()
	if err != nil {
		Missing(t, err)
	}
	return dir
}

// Optional returns the shared directory and true when it is present. When it
// is not, it returns false for the caller to skip what needs it (a script
// condition), or fails the test under CI=true.
func Optional(t testing.TB) (string, bool) {
	t.Helper()
	dir, err := Find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared conformance data missing under CI=true: %v", err)
		}
		return "", false
	}
	return dir, true
}

// Shared joins elements onto the shared directory (see SharedDir), and
// skips (fails under CI=true) naming the joined path when it is missing.
func Shared(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{SharedDir(t)}, elem...)...)
	if !exists(p) {
		Missing(t, fmt.Errorf("%s not found", p))
	}
	return p
}

// MissingPrefix begins every line a test skips with for missing shared
// data, so `go test -v ./... | grep 'missing shared test data'` lists
// what is missing, one line per test.
const MissingPrefix = "missing shared test data"

// Missing skips the test with one line naming the missing data, or fails it
// when the environment says CI=true, where the data must be present.
func Missing(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("%s: %v (check out ../shared beside the repository or set ADVISORY_SHARED)", MissingPrefix, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
		return
	}
	t.Skip(msg)
}

// Find returns the shared test data directory, or an error naming the path
// it looked for.
func Find() (string, error) {
	if d := os.Getenv("ADVISORY_SHARED"); d != "" {
		return check(d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return check(filepath.Join(filepath.Dir(d), "shared"))
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod above the test's directory")
		}
	}
}

// check accepts dir when it holds DESIGN.md, the shared directory's marker.
func check(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(abs, "DESIGN.md")); err != nil {
		return "", fmt.Errorf("%s not found", filepath.Join(abs, "DESIGN.md"))
	}
	return abs, nil
}

// exists reports whether p names a file or directory, or, when it is a
// glob pattern (records/*.json), whether it matches one.
func exists(p string) bool {
	if strings.ContainsAny(p, "*?[") {
		m, err := filepath.Glob(p)
		return err == nil && len(m) > 0
	}
	_, err := os.Stat(p)
	return err == nil
}

// held keeps what ReportHeld measures alive until it is measured.
var held any

// ReportHeld builds a value and reports, as the benchmark's held-MB and
// held-objects metrics, what it keeps on the heap and how many objects the
// collector must scan for it: the heap after a collection with the value
// alive, less the heap after one with it gone.
func ReportHeld(b *testing.B, build func() any) {
	b.Helper()
	held = build()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	held = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(before.HeapAlloc-after.HeapAlloc)/1e6, "held-MB")
	b.ReportMetric(float64(before.HeapObjects-after.HeapObjects), "held-objects")
}
