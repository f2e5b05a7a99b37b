package build

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/golden"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestGoldenRecords builds the fixture and compares every record with the
// archive's want/<product>/<ID>.json.
func TestGoldenRecords(t *testing.T) {
	root := t.TempDir()
	ar := unpackFixture(t, root, nil)
	recs, _, err := Records(root, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatal("the fixture built no record")
	}
	var got []txtar.File
	for _, r := range recs {
		got = append(got, txtar.File{Name: "want/" + r.Product.Name + "/" + r.Vuln.ID + ".json", Data: r.JSON})
	}
	golden.Check(t, "testdata/fixture.txtar", ar, got, func(name string) bool { return strings.HasPrefix(name, "want/") })
}

// TestDeterminism builds the same sources written in two different orders
// (and so with different directory order and times) and compares every
// output byte.
func TestDeterminism(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ar := unpackFixture(t, a, nil)
	order := rand.New(rand.NewSource(7)).Perm(len(ar.Files))
	unpackFixture(t, b, order)
	outA, outB := filepath.Join(a, "public"), filepath.Join(b, "public")
	for _, p := range [][2]string{{a, outA}, {b, outB}} {
		if _, err := Run(Options{Root: p[0], Out: p[1], Now: now}); err != nil {
			t.Fatal(err)
		}
	}
	treeA, treeB := readTree(t, outA), readTree(t, outB)
	if len(treeA) < 10 {
		t.Fatalf("output has only %d files", len(treeA))
	}
	for name, data := range treeA {
		if !bytes.Equal(treeB[name], data) {
			t.Errorf("%s differs between the two builds", name)
		}
	}
	if len(treeA) != len(treeB) {
		t.Errorf("the builds wrote %d and %d files", len(treeA), len(treeB))
	}
	// A rebuild over the previous output gives the same bytes again.
	if _, err := Run(Options{Root: a, Out: outA, Now: now}); err != nil {
		t.Fatal(err)
	}
	for name, data := range readTree(t, outA) {
		if !bytes.Equal(treeA[name], data) {
			t.Errorf("%s changed on rebuild", name)
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRefusesForeignOutput keeps a non-empty directory that is not a
// previous build.
func TestRefusesForeignOutput(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	out := filepath.Join(root, "home")
	writeFile(t, filepath.Join(out, "precious.txt"), []byte("keep me"))
	_, err := Run(Options{Root: root, Out: out, Now: now})
	if err == nil || !strings.Contains(err.Error(), "not a previous build") {
		t.Fatalf("err = %v", err)
	}
	if string(mustRead(t, filepath.Join(out, "precious.txt"))) != "keep me" {
		t.Error("foreign directory touched")
	}
}

// errorAt returns the first diagnostic of a build error.
func errorAt(t *testing.T, err error) diag.Diagnostic {
	t.Helper()
	var le diag.ListError
	if !errors.As(err, &le) {
		t.Fatalf("error is not a diagnostic list: %v", err)
	}
	return le[0]
}
