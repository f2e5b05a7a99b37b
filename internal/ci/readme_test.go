package ci

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReadmePackages: README's package table names every package of the
// module (by its path, in backticks, in the first column) and nothing
// else.
func TestReadmePackages(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(data), "| package | job |\n")
	if !ok {
		t.Fatal("README.md has no package table")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	path := regexp.MustCompile("`([a-z0-9_/]+)`")
	var listed []string
	for _, row := range strings.Split(table, "\n") {
		cells := strings.Split(row, "|")
		if len(cells) < 3 {
			continue
		}
		for _, m := range path.FindAllStringSubmatch(cells[1], -1) {
			listed = append(listed, m[1])
		}
	}
	pkgs := modulePackages(t)
	for _, p := range pkgs {
		if !slices.Contains(listed, p) {
			t.Errorf("README's package table lacks %s", p)
		}
	}
	for _, p := range listed {
		if !slices.Contains(pkgs, p) {
			t.Errorf("README's package table names %s, which is no package of the module", p)
		}
	}
}

// modulePackages lists the directories of the module holding Go files
// (testdata, hidden directories and nested modules left out).
func modulePackages(t *testing.T) []string {
	var out []string
	err := filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != repoRoot && (name == "testdata" || strings.HasPrefix(name, ".") || exists(filepath.Join(p, "go.mod"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") {
			if dir := rel(filepath.Dir(p)); !slices.Contains(out, dir) {
				out = append(out, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
