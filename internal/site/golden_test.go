package site

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/psf/advisory-builder/internal/golden"
)

// TestGolden renders the fixture database and compares every page, the feed
// and the JSON index with testdata/golden.txtar (assets are compared with
// the embedded sources by TestAssetsCopied). Run with -update to accept.
func TestGolden(t *testing.T) {
	dir := buildFixture(t)
	var got txtar.Archive
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "assets/") || rel == Favicon {
			return nil
		}
		data, err := os.ReadFile(p)
		got.Files = append(got.Files, txtar.File{Name: rel, Data: data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got.Comment = []byte("Golden output of the fixture database (fixture_test.go). Regenerate: go test ./internal/site -run TestGolden -update\n")
	golden.Archive(t, filepath.Join("testdata", "golden.txtar"), &got)
}

func TestAssetsCopied(t *testing.T) {
	dir := buildFixture(t)
	for _, name := range []string{"style.css", "app.js", "search.js", "favicon.svg"} {
		got, err := os.ReadFile(filepath.Join(dir, "assets", name))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := fs.ReadFile(assetsFS(), "assets/"+name)
		if !bytes.Equal(got, want) {
			t.Errorf("assets/%s differs from the embedded file", name)
		}
	}
}
