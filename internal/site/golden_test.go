package site

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txtar from the current output")

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
	golden := filepath.Join("testdata", "golden.txtar")
	if *update {
		got.Comment = []byte("Golden output of the fixture database (fixture_test.go). Regenerate: go test ./internal/site -run TestGolden -update\n")
		if err := os.WriteFile(golden, txtar.Format(&got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := txtar.ParseFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	wantFiles := map[string][]byte{}
	for _, f := range want.Files {
		wantFiles[f.Name] = f.Data
	}
	for _, f := range got.Files {
		w, ok := wantFiles[f.Name]
		if !ok {
			t.Errorf("%s: new file, not in %s (run with -update)", f.Name, golden)
			continue
		}
		delete(wantFiles, f.Name)
		if !bytes.Equal(w, f.Data) {
			t.Errorf("%s differs from %s:\n%s", f.Name, golden, firstDiff(string(w), string(f.Data)))
		}
	}
	for name := range wantFiles {
		t.Errorf("%s: in %s but no longer written", name, golden)
	}
}

// firstDiff shows the first differing line.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(only trailing differences)"
}

func TestAssetsCopied(t *testing.T) {
	dir := buildFixture(t)
	for _, name := range []string{"style.css", "app.js", "favicon.svg"} {
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
