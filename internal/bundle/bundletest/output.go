package bundletest

import (
	"os"
	"sort"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/osv"
)

// Output writes a build output of recs into a fresh temporary directory: the
// bundle, the extra files given (name -> content, for a stand-in site), and
// SHA256SUMS last. It returns the directory.
func Output(t testing.TB, recs []*osv.Record, extra map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if err := bundle.Write(root, recs); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := root.WriteFile(name, extra[name], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := bundle.WriteSums(root); err != nil {
		t.Fatal(err)
	}
	return dir
}
