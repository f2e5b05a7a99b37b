package build

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/rogpeppe/go-internal/txtar"
)

// now is the fixed clock of the tests (lint's "not in the future").
var now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

var productsFile, _ = filepath.Abs("../../advisories/products.yaml")

var digestMark = regexp.MustCompile(`DIGEST\((PSF-[0-9]+-[0-9]+)\)`)

// unpackFixture writes the fixture's sources into dir in the given file
// order, filling DIGEST(ID) marks in the locks with the real input digests.
func unpackFixture(t testing.TB, dir string, order []int) *txtar.Archive {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/fixture.txtar")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, product.ConfigPath(dir), mustRead(t, productsFile))
	if order == nil {
		for i := range ar.Files {
			order = append(order, i)
		}
	}
	for _, i := range order {
		f := ar.Files[i]
		if strings.HasPrefix(f.Name, "advisories/") && strings.HasSuffix(f.Name, ".yaml") {
			writeFile(t, filepath.Join(dir, f.Name), f.Data)
		}
	}
	for _, i := range order {
		f := ar.Files[i]
		if strings.HasSuffix(f.Name, ".lock.json") {
			writeFile(t, filepath.Join(dir, f.Name), fillDigests(t, dir, f.Data))
		}
	}
	return ar
}

func fillDigests(t testing.TB, dir string, data []byte) []byte {
	return digestMark.ReplaceAllFunc(data, func(m []byte) []byte {
		id := string(digestMark.FindSubmatch(m)[1])
		matches, _ := filepath.Glob(filepath.Join(dir, "advisories", "*", id+".yaml"))
		if len(matches) != 1 {
			t.Fatalf("no source for %s", id)
		}
		a, ds := advisory.LoadFile(matches[0], filepath.Base(filepath.Dir(matches[0])))
		if a == nil {
			t.Fatal(ds)
		}
		return []byte(lock.InputDigest(a))
	})
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
