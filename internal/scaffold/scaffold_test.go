package scaffold_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/scaffold"
	"github.com/psf/advisory-builder/internal/testenv"
)

var now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func newDB(t *testing.T) (string, product.Config) {
	root := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "..", "advisories", "products.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "advisories"), 0o755)
	if err := os.WriteFile(product.ConfigPath(root), data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	return root, cfg
}

func lintErrors(root string, cfg product.Config) diag.List {
	as, ds := advisory.LoadAll(root, cfg)
	ds = append(ds, lint.All(as, lint.Options{Now: now, Products: cfg})...)
	var errs diag.List
	for _, d := range ds {
		if d.Severity == diag.Error {
			errs = append(errs, d)
		}
	}
	return errs
}

// fill replaces every TODO the way an author would, and writes the source back.
func fill(t *testing.T, path, prod string) {
	t.Helper()
	data, _ := os.ReadFile(path)
	a, ds := advisory.Parse(path, prod, data)
	if ds.HasErrors() {
		t.Fatalf("scaffold does not load: %v", ds)
	}
	todo := func(s string) bool { return strings.Contains(s, "TODO") }
	if len(a.Aliases) > 0 && todo(a.Aliases[0]) {
		a.Aliases = []string{"CVE-2024-12345"}
	}
	if todo(a.Published) {
		a.Published = "2024-01-02T03:04:05Z"
	}
	if todo(a.Title) {
		a.Title = "A filled title"
	}
	if todo(a.Severity) {
		a.Severity = "high"
	}
	if todo(a.CVSS) {
		a.CVSS = ""
	}
	if len(a.Components) > 0 && todo(a.Components[0]) {
		a.Components = []string{"tarfile.TarFile.extractall"}
	}
	if todo(a.Description) {
		a.Description = "A filled description."
	}
	if todo(a.Mitigations) {
		a.Mitigations = ""
	}
	if todo(a.Introduced) {
		a.Introduced = "0"
	}
	for i := range a.Branches {
		if todo(a.Branches[i].Fixed) {
			a.Branches[i].Fixed = strings.Repeat("ab", 20)
		}
	}
	for i := range a.Credits {
		if todo(a.Credits[i].Name) {
			a.Credits[i].Name = "A. Reporter"
		}
	}
	for i := range a.References {
		a.References[i].URL = strings.ReplaceAll(a.References[i].URL, "TODO", "1")
	}
	out, err := advisory.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBlankScaffold: lint refuses every TODO of a blank scaffold, and
// accepts it once they are filled.
func TestBlankScaffold(t *testing.T) {
	root, cfg := newDB(t)
	res, err := scaffold.New(scaffold.Options{Root: root, Product: "python", Slug: "tarfile-redos"})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(res.Path) != "PSF-0000-tarfile-redos.yaml" {
		t.Fatalf("path %s", res.Path)
	}
	todos := 0
	for _, d := range lintErrors(root, cfg) {
		if d.Rule == "todo" {
			todos++
		}
	}
	if todos < 10 {
		t.Fatalf("lint reported %d TODO markers, want one per scaffolded field (at least 10)", todos)
	}
	fill(t, res.Path, "python")
	if errs := lintErrors(root, cfg); len(errs) > 0 {
		t.Fatalf("filled scaffold still has errors: %v", errs)
	}
}

// TestImportEverySharedRecord runs new on each of the 15 shared CVE
// records; each source lints clean once its TODOs are filled, except that
// a record whose single range leaves its fix commits unplaced is refused
// at its facts (the lint names the commits; the author states each branch).
func TestImportEverySharedRecord(t *testing.T) {
	files, _ := filepath.Glob(testenv.Shared(t, "cve", "records", "*.json"))
	if len(files) != 15 {
		t.Fatalf("want 15 shared records, found %d", len(files))
	}
	root, cfg := newDB(t)
	for _, f := range files {
		prod := "python"
		if strings.Contains(f, "2023-5752") || strings.Contains(f, "2025-8869") {
			prod = "pip"
		}
		res, err := scaffold.New(scaffold.Options{Root: root, Product: prod, Record: f})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		fill(t, res.Path, prod)
	}
	var others diag.List
	unplaced := 0
	for _, d := range lintErrors(root, cfg) {
		if d.Rule == "facts" && strings.Contains(d.Message, "but the fix commits need") {
			unplaced++
			continue
		}
		others = append(others, d)
	}
	if len(others) > 0 {
		t.Fatalf("imported sources have errors:\n%v", others)
	}
	if unplaced == 0 {
		t.Error("no shared CVE record leaves its fix commits unplaced: the single-range trap is not exercised")
	}
	as, _ := advisory.LoadAll(root, cfg)
	if len(as) != 15 {
		t.Fatalf("loaded %d advisories, want 15", len(as))
	}
}

// TestOversizedRecord: a CVE record whose scaffold would be over the size
// of a source is refused saying what is too large, and nothing is written.
func TestOversizedRecord(t *testing.T) {
	root, _ := newDB(t)
	rec := filepath.Join(t.TempDir(), "big.json")
	desc := strings.Repeat("A long description. ", 20000)
	data := `{"dataType":"CVE_RECORD","dataVersion":"5.1",
"cveMetadata":{"cveId":"CVE-2099-12345","assignerOrgId":"28c92f92-d60d-412d-b760-e73465c3df22","state":"PUBLISHED","datePublished":"2099-01-01T00:00:00Z"},
"containers":{"cna":{"providerMetadata":{"orgId":"28c92f92-d60d-412d-b760-e73465c3df22"},"title":"Big",
"descriptions":[{"lang":"en","value":"` + desc + `"}],
"affected":[{"vendor":"Python Software Foundation","product":"CPython","defaultStatus":"unaffected","versions":[{"version":"0","lessThan":"3.12.6","status":"affected","versionType":"python"}]}],
"references":[{"url":"https://github.com/python/cpython/issues/1"}]}}}`
	if err := os.WriteFile(rec, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := scaffold.New(scaffold.Options{Root: root, Product: "python", Record: rec})
	if err == nil || strings.Contains(err.Error(), "internal error") ||
		!strings.Contains(err.Error(), "over the 262144-byte limit of a source; its largest field is description (the record's descriptions)") {
		t.Fatalf("got %v, want a refusal naming the description as too large", err)
	}
	if files, _ := filepath.Glob(filepath.Join(root, "advisories", "python", "*")); len(files) > 0 {
		t.Fatalf("wrote %v", files)
	}
}
