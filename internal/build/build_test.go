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
	got := map[string][]byte{}
	for _, r := range recs {
		got["want/"+r.Product.Name+"/"+r.Vuln.ID+".json"] = r.JSON
	}
	if *update {
		var kept []txtar.File
		for _, f := range ar.Files {
			if !strings.HasPrefix(f.Name, "want/") {
				kept = append(kept, f)
			}
		}
		for _, r := range recs {
			name := "want/" + r.Product.Name + "/" + r.Vuln.ID + ".json"
			kept = append(kept, txtar.File{Name: name, Data: got[name]})
		}
		ar.Files = kept
		if err := os.WriteFile("testdata/fixture.txtar", txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	n := 0
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "want/") {
			continue
		}
		n++
		if !bytes.Equal(got[f.Name], f.Data) {
			t.Errorf("%s differs (go test -update):\n--- got\n%s\n--- want\n%s", f.Name, got[f.Name], f.Data)
		}
	}
	if n != len(recs) || n == 0 {
		t.Errorf("archive has %d records, build made %d", n, len(recs))
	}
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
