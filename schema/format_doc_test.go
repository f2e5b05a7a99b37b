package schema_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/product"
)

// TestFormatDocExample keeps the complete example of docs/format.md valid:
// the loader, lint and the schema accept it.
func TestFormatDocExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "docs", "format.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "## A complete example")
	if !ok {
		t.Fatal(`docs/format.md has no "## A complete example" section`)
	}
	_, rest, ok = strings.Cut(rest, "```yaml\n")
	if !ok {
		t.Fatal("the example section has no yaml block")
	}
	doc, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("the example's yaml block is not closed")
	}
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("advisories", "python", "PSF-2024-11.yaml")
	a, ds := advisory.Parse(path, "python", []byte(doc))
	if ds.HasErrors() {
		t.Fatalf("loader refuses the example: %v", ds)
	}
	for _, d := range lint.Advisory(a, lint.Options{Products: cfg}) {
		if d.Severity == diag.Error {
			t.Errorf("lint refuses the example: %v", d)
		}
	}
	sch := compileAdvisory(t)
	if err := sch.Validate(modelJSON(t, a)); err != nil {
		t.Errorf("schema refuses the example: %v", err)
	}
	if err := sch.Validate(yamlJSON(t, doc)); err != nil {
		t.Errorf("schema refuses the example as an editor reads it: %v", err)
	}
}
