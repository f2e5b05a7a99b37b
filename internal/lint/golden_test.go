package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/rogpeppe/go-internal/txtar"
)

// productsFile is the repository's products configuration.
var productsFile, _ = filepath.Abs("../../advisories/products.yaml")

var update = flag.Bool("update", false, "rewrite the golden outputs in testdata/*.txtar")

// now is the fixed "current time" of the golden tests.
var now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// TestGolden lints each testdata/*.txtar database and compares the output in
// every format with the archive's lint.text, lint.github and lint.json.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden archives")
	}
	for _, file := range files {
		file, _ = filepath.Abs(file)
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			t.Chdir(unpack(t, ar))
			got := lintOutputs(t, ".")
			if *update {
				rewrite(t, file, ar, got)
				return
			}
			for name, want := range wanted(ar) {
				if got[name] != want {
					t.Errorf("%s differs (run go test -update):\n--- got\n%s\n--- want\n%s", name, got[name], want)
				}
			}
		})
	}
}

// unpack writes the archive's advisories (and the repository's products
// config unless the archive has one) into a temporary database.
func unpack(t *testing.T, ar *txtar.Archive) string {
	root := t.TempDir()
	cfg, err := os.ReadFile(productsFile)
	if err != nil {
		t.Fatal(err)
	}
	write(t, product.ConfigPath(root), cfg)
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "advisories/") {
			write(t, filepath.Join(root, f.Name), f.Data)
		}
	}
	return root
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func lintOutputs(t *testing.T, root string) map[string]string {
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	as, ds := advisory.LoadAll(root, cfg)
	ds = append(ds, All(as, Options{Now: now, Products: cfg})...)
	ds.Sort()
	for i := range ds {
		rel, _ := filepath.Rel(root, ds[i].File)
		ds[i].File = filepath.ToSlash(rel)
	}
	out := map[string]string{}
	for _, format := range diag.Formats {
		var buf bytes.Buffer
		if err := diag.Write(&buf, format, ds); err != nil {
			t.Fatal(err)
		}
		out["lint."+format] = buf.String()
	}
	return out
}

func wanted(ar *txtar.Archive) map[string]string {
	m := map[string]string{}
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "lint.") {
			m[f.Name] = string(f.Data)
		}
	}
	return m
}

func rewrite(t *testing.T, file string, ar *txtar.Archive, got map[string]string) {
	var kept []txtar.File
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "lint.") {
			kept = append(kept, f)
		}
	}
	for _, format := range diag.Formats {
		kept = append(kept, txtar.File{Name: "lint." + format, Data: []byte(got["lint."+format])})
	}
	ar.Files = kept
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}
