package rule

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLintStaysAStage: the packages that show, export or import advisories
// take their rules from this package; lint is a pipeline stage they do not
// import (a command wires it in where it is needed).
func TestLintStaysAStage(t *testing.T) {
	const lint = "github.com/psf/advisory-builder/internal/lint"
	for _, pkg := range []string{"site", "cverecord", "osvimport", "product", "advisory"} {
		files, err := filepath.Glob(filepath.Join("..", "..", pkg, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in internal/%s: %v", pkg, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range file.Imports {
				if p, _ := strconv.Unquote(imp.Path.Value); p == lint {
					t.Errorf("%s imports %s; call internal/advisory/rule instead", f, lint)
				}
			}
		}
	}
}
