package announce_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/announce"
	"github.com/psf/advisory-builder/internal/golden"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestGolden renders each testdata/*.txtar case: the archive holds one
// source under advisories/<product>/, optionally resolution.json (its lock
// entry), and the expected output in email.txt (or error.txt).
func TestGolden(t *testing.T) {
	cfg, err := product.Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, name := render(t, ar, cfg)
			golden.Check(t, file, ar, []txtar.File{{Name: name, Data: []byte(got)}}, isOutput)
		})
	}
}

func render(t *testing.T, ar *txtar.Archive, cfg product.Config) (out, name string) {
	rec := &osv.Record{}
	for _, f := range ar.Files {
		switch {
		case strings.HasPrefix(f.Name, "advisories/"):
			prod := filepath.Base(filepath.Dir(f.Name))
			a, ds := advisory.Parse(f.Name, prod, f.Data)
			if ds.HasErrors() {
				t.Fatalf("fixture does not load: %v", ds)
			}
			rec.Advisory, rec.Product = a, cfg[prod]
		case f.Name == "resolution.json":
			rec.Resolution = &lock.Entry{}
			if err := json.Unmarshal(f.Data, rec.Resolution); err != nil {
				t.Fatal(err)
			}
		}
	}
	if rec.Resolution == nil {
		rec.Summary = verdict.Of(rec.Advisory, nil) // the authored facts, if any
	}
	text, err := announce.Email(rec)
	if err != nil {
		return err.Error() + "\n", "error.txt"
	}
	return text, "email.txt"
}

// isOutput: a case's output is its e-mail or its error.
func isOutput(name string) bool { return name == "email.txt" || name == "error.txt" }

// TestWidth: every line of every golden e-mail fits 72 columns unless it is
// a single unbreakable word (a URL).
func TestWidth(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		ar, _ := txtar.ParseFile(file)
		for _, f := range ar.Files {
			if f.Name != "email.txt" {
				continue
			}
			for _, l := range strings.Split(string(f.Data), "\n") {
				if len([]rune(l)) > announce.Width && len(strings.Fields(l)) > 2 && !strings.HasPrefix(l, "Subject:") {
					t.Errorf("%s: line over %d columns: %q", file, announce.Width, l)
				}
			}
		}
	}
}
