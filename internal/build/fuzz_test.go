package build

import (
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzLoadBuild feeds arbitrary bytes to the loader. It must never panic;
// whatever loads and lints clean must convert into a record that passes the
// OSV schema, and must survive a Marshal/Parse round trip unchanged.
func FuzzLoadBuild(f *testing.F) {
	ar, err := txtar.ParseFile("testdata/fixture.txtar")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range ar.Files {
		f.Add(file.Data)
	}
	f.Add([]byte("id: PSF-2024-9\nintroduced: \"0\"\n"))
	cfg, err := product.Parse("products.yaml", mustRead(f, productsFile))
	if err != nil {
		f.Fatal(err)
	}
	const path = "advisories/python/PSF-2024-9.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		a, ds := advisory.Parse(path, "python", data)
		if a == nil {
			if !ds.HasErrors() {
				t.Fatal("refused without an error")
			}
			return
		}
		if lint.All([]*advisory.Advisory{a}, lint.Options{Now: now, Products: cfg}).HasErrors() {
			return
		}
		rec, err := osv.Marshal(osv.Convert(a, cfg["python"], verdict.Of(a, nil), Modified(a, now)))
		if err != nil {
			t.Fatal(err)
		}
		if err := osv.ValidateStrict(rec); err != nil {
			t.Fatalf("accepted source gives an invalid record: %v\n%s", err, data)
		}
		text, err := advisory.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		b, ds := advisory.Parse(path, "python", text)
		if b == nil {
			t.Fatalf("marshalled source does not load: %v\n%s", ds, text)
		}
		if again, _ := advisory.Marshal(b); string(again) != string(text) {
			t.Fatalf("round trip changed the source:\n%s\n---\n%s", text, again)
		}
	})
}
