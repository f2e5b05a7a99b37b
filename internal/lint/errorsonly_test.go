package lint

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestErrorsOnly: ErrorsOnly reports every error lint reports, on every
// golden database, and no warning the skipped checks make.
func TestErrorsOnly(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			root := unpack(t, ar)
			cfg, err := product.Load(root)
			if err != nil {
				t.Fatal(err)
			}
			as, _ := advisory.LoadAll(root, cfg)
			all := errorsOf(All(as, Options{Now: now, Products: cfg}))
			only := All(as, Options{Now: now, Products: cfg, ErrorsOnly: true})
			for _, d := range only {
				if d.Rule == "cve-record" {
					t.Errorf("ErrorsOnly ran the CVE record limits: %v", d)
				}
			}
			if got := errorsOf(only); !slices.Equal(got, all) {
				t.Errorf("ErrorsOnly errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(all, "\n"))
			}
		})
	}
}

func errorsOf(ds diag.List) []string {
	ds.Sort()
	var out []string
	for _, d := range ds {
		if d.Severity == diag.Error {
			out = append(out, d.String())
		}
	}
	return out
}
