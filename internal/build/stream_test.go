package build

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/site"
)

// batchBuild writes the output the way the build did before it streamed:
// every record converted first (Records), then the whole slice handed to
// the bundle and the site. The streaming build must write the same bytes.
func batchBuild(t testing.TB, root, out string) ([]*osv.Record, diag.List) {
	t.Helper()
	recs, ds, err := Records(root, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeBatch(out, recs); err != nil {
		t.Fatal(err)
	}
	return recs, ds
}

// writeBatch writes the tree of recs through the slice APIs.
func writeBatch(out string, recs []*osv.Record) error {
	if err := os.WriteFile(filepath.Join(out, markerFile), []byte(markerText), 0o644); err != nil {
		return err
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		return err
	}
	defer root.Close()
	if err := bundle.Write(root, recs); err != nil {
		return err
	}
	cfg := product.Config{}
	for _, r := range recs {
		cfg[r.Product.Name] = r.Product
	}
	if err := site.WriteOptions(root, recs, cfg, site.Options{}); err != nil {
		return err
	}
	return bundle.WriteSums(root)
}

// TestStreamMatchesBatch builds the fixture streaming and the batch way and
// compares every output byte, the count and the warnings (their order
// included: the build prints them).
func TestStreamMatchesBatch(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	var handed []string
	res, err := Run(Options{Root: root, Out: filepath.Join(root, "stream"), Now: now, Record: func(r *osv.Record) error {
		if len(r.JSON) == 0 {
			t.Errorf("%s handed over without its JSON", r.Vuln.ID)
		}
		handed = append(handed, r.Vuln.ID)
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs, ds := batchBuild(t, root, filepath.Join(root, "batch"))
	streamed, batch := readTree(t, filepath.Join(root, "stream")), readTree(t, filepath.Join(root, "batch"))
	for name, data := range batch {
		if !bytes.Equal(streamed[name], data) {
			t.Errorf("%s differs from the batch build's", name)
		}
	}
	if len(streamed) != len(batch) || len(batch) < 10 {
		t.Errorf("the builds wrote %d and %d files", len(streamed), len(batch))
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.Vuln.ID)
	}
	if res.Count != len(recs) || !slices.Equal(handed, ids) {
		t.Errorf("count %d, handed over %v; want %d records in ID order %v", res.Count, handed, len(recs), ids)
	}
	if fmt.Sprint(res.Warnings) != fmt.Sprint(ds) {
		t.Errorf("warnings\n%v\nwant\n%v", res.Warnings, ds)
	}
}

// TestStreamReportsEveryError breaks the first and the last advisory in ID
// order in different ways and gives a bad output directory: the build
// reports both sources' errors at once, sorted, before the output's
// problem, and writes nothing.
func TestStreamReportsEveryError(t *testing.T) {
	root, out, before := builtFixture(t)
	srcs, _ := filepath.Glob(filepath.Join(root, "advisories", "*", "*.yaml"))
	slices.SortFunc(srcs, func(a, b string) int { return strings.Compare(filepath.Base(a), filepath.Base(b)) })
	if len(srcs) < 3 {
		t.Fatalf("fixture has %d sources", len(srcs))
	}
	first, last := srcs[0], srcs[len(srcs)-1]
	writeFile(t, first, bytes.Replace(mustRead(t, first), []byte("title: "), []byte("title: !!str "), 1))
	writeFile(t, last, append(mustRead(t, last), "sevirity: high\n"...))
	for _, o := range []string{out, filepath.Join(root, "advisories")} {
		_, err := Run(Options{Root: root, Out: o, Now: now})
		var le diag.ListError
		if !errors.As(err, &le) {
			t.Fatalf("--out %s: error %v, want the sources' diagnostics", o, err)
		}
		files := map[string]bool{}
		for _, d := range le {
			files[d.File] = true
		}
		if !files[first] || !files[last] || !slices.IsSortedFunc(le, func(a, b diag.Diagnostic) int { return strings.Compare(a.File, b.File) }) {
			t.Errorf("--out %s: got %v, want errors in %s and %s, sorted", o, le, first, last)
		}
	}
	assertUntouched(t, root, out, before)
}

// TestRecordHookFailureWritesNothing: an error from Options.Record stops
// the build, which leaves the previous output as it was.
func TestRecordHookFailureWritesNothing(t *testing.T) {
	root, out, before := builtFixture(t)
	refused := errors.New("refused by the caller")
	n := 0
	_, err := Run(Options{Root: root, Out: out, Now: now, Record: func(*osv.Record) error {
		if n++; n == 2 {
			return refused
		}
		return nil
	}})
	if !errors.Is(err, refused) {
		t.Fatalf("err = %v, want the hook's", err)
	}
	assertUntouched(t, root, out, before)
}
