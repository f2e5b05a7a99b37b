package schema_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/product"
)

// FuzzSchemaAcceptsLintClean checks that the editor schema never flags a
// document that the loader and lint accept without a single diagnostic, so
// an author is never told "wrong" by the editor for a file CI accepts.
// Seeds: the good document, each bad document and every advisory of the
// database. Run longer with
//
//	go test ./schema/ -run '^$' -fuzz FuzzSchemaAcceptsLintClean -fuzztime 60s
func FuzzSchemaAcceptsLintClean(f *testing.F) {
	f.Add(good)
	for _, tc := range badDocs {
		f.Add(strings.Replace(good, tc.old, tc.new, 1))
	}
	files, _ := filepath.Glob(filepath.Join(root, "advisories", "*", "*.yaml"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(strings.Replace(string(data), "id: "+advisory.IDFromPath(p), "id: PSF-2024-9", 1))
		}
	}
	sch := compileAdvisory(f)
	cfg, err := product.Load(root)
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join("advisories", "python", "PSF-2024-9.yaml")
	f.Fuzz(func(t *testing.T, doc string) {
		a, ds := advisory.Parse(path, "python", []byte(doc))
		if a == nil || len(ds) > 0 {
			return
		}
		if ds := lint.Advisory(a, lint.Options{Products: cfg}); len(ds) > 0 {
			return
		}
		if err := sch.Validate(modelJSON(t, a)); err != nil {
			t.Fatalf("loader and lint accept the document, the schema refuses it: %v\n%s", err, doc)
		}
	})
}
