package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/golden"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/rogpeppe/go-internal/txtar"
)

// productsFile is the repository's products configuration.
var productsFile, _ = filepath.Abs("../../advisories/products.yaml")

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
			golden.Check(t, file, ar, lintOutputs(t, "."), isOutput)
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

func lintOutputs(t *testing.T, root string) []txtar.File {
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
	var out []txtar.File
	for _, format := range diag.Formats {
		var buf bytes.Buffer
		if err := diag.Write(&buf, format, ds); err != nil {
			t.Fatal(err)
		}
		out = append(out, txtar.File{Name: "lint." + format, Data: buf.Bytes()})
	}
	return out
}

// isOutput: the outputs of a case are lint.<format>.
func isOutput(name string) bool { return strings.HasPrefix(name, "lint.") }
