package bundle_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

// TestWriterOrder: the streaming writer takes records in ID order only,
// each ID once, and says which rule a record broke.
func TestWriterOrder(t *testing.T) {
	rec := func(id string) *osv.Record {
		return bundletest.CPython(bundletest.Spec{ID: id, Modified: "2024-07-01T10:00:00Z"})
	}
	tests := []struct {
		name string
		ids  []string
		want string // "" for success
	}{
		{"in order", []string{"PSF-2024-1", "PSF-2024-10", "PSF-2024-2"}, ""},
		{"out of order", []string{"PSF-2024-2", "PSF-2024-10"}, "records must be added in ID order"},
		{"twice", []string{"PSF-2024-1", "PSF-2024-1"}, "ID PSF-2024-1 is used twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := bundle.NewWriter(openRoot(t, t.TempDir()), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range tt.ids {
				e, perr := w.Prepare(rec(id))
				if perr != nil {
					t.Fatal(perr)
				}
				if err = w.Add(e); err != nil {
					break
				}
			}
			if err == nil {
				err = w.Close()
			} else {
				w.Abort()
			}
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestWriterMatchesWrite: records prepared on any goroutine and added in
// ID order give the tree bundle.Write gives for the same records in any
// order.
func TestWriterMatchesWrite(t *testing.T) {
	recs := sample()
	want := build(t, recs)
	dir := t.TempDir()
	root := openRoot(t, dir)
	w, err := bundle.NewWriter(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	sorted := []*osv.Record{recs[3], recs[1], recs[2], recs[0]} // PSF-2023-1, PSF-2024-10, PSF-2024-2, PSF-2024-3
	entries := make([]bundle.Entry, len(sorted))
	done := make(chan error)
	for i, r := range sorted {
		go func() {
			var err error
			entries[i], err = w.Prepare(r)
			done <- err
		}()
	}
	for range sorted {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range entries {
		if err := w.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bundle.WriteSums(root); err != nil {
		t.Fatal(err)
	}
	got, wantTree := readAll(t, dir), readAll(t, want)
	if len(got) != len(wantTree) {
		t.Errorf("wrote %d files, want %d", len(got), len(wantTree))
	}
	for name, data := range wantTree {
		if got[name] != data {
			t.Errorf("%s differs from bundle.Write's", name)
		}
	}
}

// readAll reads every file under dir, by path relative to it.
func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
