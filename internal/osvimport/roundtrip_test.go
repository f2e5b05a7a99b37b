package osvimport

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/testenv"
)

// scratchDB makes an empty database with the repository's products config.
func scratchDB(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "advisories"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile("../../advisories/products.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(product.ConfigPath(root), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// copyReleaseLists copies the known-release lists of the database at src
// into dst: they are the database's, as products.yaml is (the records
// enumerate release facts over them), and no record carries them.
func copyReleaseLists(t *testing.T, src, dst string) {
	t.Helper()
	lists, _ := filepath.Glob(filepath.Join(src, "advisories", "*.releases"))
	for _, l := range lists {
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, "advisories", filepath.Base(l)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRoundTripPSF imports every shared PSF record, lints and builds them,
// and compares each built record with its original in content.
func TestRoundTripPSF(t *testing.T) {
	from := testenv.Shared(t, "osv", "records", "psf")
	root := scratchDB(t)
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	written, err := runLinted(Options{From: from, Root: root, Product: "python"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 71 {
		t.Fatalf("imported %d records, want 71", len(written))
	}
	recs, _, err := build.Records(root, time.Now())
	if err != nil {
		t.Fatalf("imported sources do not lint and build: %v", err)
	}
	for _, rec := range recs {
		orig := readRecord(t, filepath.Join(from, rec.Vuln.ID+".json"))
		compareContent(t, orig, rec.Vuln)
	}
}

func readRecord(t *testing.T, path string) *osv.Vulnerability {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v osv.Vulnerability
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// compareContent checks the fields the import promises to keep. A missing
// original summary is the documented normalization: a derived title.
func compareContent(t *testing.T, orig, got *osv.Vulnerability) {
	t.Helper()
	wantSummary := orig.Summary
	if wantSummary == "" {
		wantSummary = DeriveTitle(orig.Details)
	}
	checks := []struct {
		field     string
		got, want any
	}{
		{"id", got.ID, orig.ID},
		{"aliases", got.Aliases, orig.Aliases},
		{"summary", got.Summary, strings.TrimSpace(wantSummary)},
		{"details", got.Details, orig.Details},
		{"references", got.References, orig.References},
		{"events", got.Affected[0].Ranges[0].Events, orig.Affected[0].Ranges[0].Events},
		{"repo", got.Affected[0].Ranges[0].Repo, orig.Affected[0].Ranges[0].Repo},
		{"credits", got.Credits, orig.Credits},
		{"cwe_ids", cwes(got), cwes(orig)},
		{"published", got.Published, orig.Published},
		{"withdrawn", got.Withdrawn, orig.Withdrawn},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s %s: got %#v, want %#v", orig.ID, c.field, c.got, c.want)
		}
	}
	if got.Modified < orig.Modified {
		t.Errorf("%s modified went back: %s < %s", orig.ID, got.Modified, orig.Modified)
	}
}

// cwes is database_specific.cwe_ids, empty when there are none.
func cwes(v *osv.Vulnerability) []string {
	if out := v.Specific().CWEIDs; out != nil {
		return out
	}
	return []string{}
}
