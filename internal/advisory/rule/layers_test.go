package rule

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
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

// TestIdentifierPatternsHaveOneHome: no regular expression outside this
// package spells an identifier (PSF, CVE, GHSA, PYSEC or CWE ID, a commit
// hash); patterns that find one inside longer text build on CommitPattern
// and BranchPattern.
func TestIdentifierPatternsHaveOneHome(t *testing.T) {
	markers := []string{"PSF-", "CVE-", "GHSA", "PYSEC-", "CWE-", "{40}"}
	root := filepath.Join("..", "..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == "testdata" || d.Name() == "rule" || strings.HasPrefix(d.Name(), ".")) && p != root:
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go"):
			return nil
		}
		file, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isRegexpCompile(call) {
				return true
			}
			ast.Inspect(call, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					for _, m := range markers {
						if strings.Contains(lit.Value, m) {
							t.Errorf("%s: regular expression %s spells an identifier; call internal/advisory/rule", p, lit.Value)
						}
					}
				}
				return true
			})
			return false
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func isRegexpCompile(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "regexp" && strings.HasPrefix(sel.Sel.Name, "MustCompile") || ok && pkg.Name == "regexp" && sel.Sel.Name == "Compile"
}
