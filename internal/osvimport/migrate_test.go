package osvimport

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/testenv"
)

// upstreamDB lays out the shared PSF records as the public database does
// (advisories/python/*.json) and adds three generated records shaped like
// the public database's alias errors: the oldest lists the CVE of the
// second (copied with its text), the third the second's GHSA.
func upstreamDB(t *testing.T) (dir string, shared int) {
	t.Helper()
	from := testenv.Shared(t, "osv", "records", "psf")
	dir = t.TempDir()
	py := filepath.Join(dir, "advisories", "python")
	if err := os.MkdirAll(py, 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(from, "*.json"))
	var model map[string]any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(py, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if model == nil {
			json.Unmarshal(data, &model)
		}
	}
	for i, aliases := range [][]string{
		{"CVE-2020-90002", "GHSA-2222-3333-4444"},
		{"CVE-2020-90002", "GHSA-5555-6666-7777"},
		{"CVE-2020-90003", "GHSA-5555-6666-7777"},
	} {
		rec := map[string]any{}
		for k, v := range model {
			rec[k] = v
		}
		id := "PSF-2020-90" + string(rune('1'+i))
		when := time.Date(2020, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
		rec["id"], rec["aliases"], rec["published"], rec["modified"] = id, aliases, when, when
		rec["summary"] = "Generated flaw " + string(rune('A'+i))
		data, _ := json.Marshal(rec)
		if err := os.WriteFile(filepath.Join(py, id+".json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, len(files)
}

// TestMigrateShared runs the migration of the shared PSF records plus the
// generated alias errors: every sound record is imported, the record that
// adds a shared alias is refused with both conflicts named and the fix; the
// fix, then the same import with SkipExisting, imports it and skips the
// rest; the database lints and builds.
func TestMigrateShared(t *testing.T) {
	from, shared := upstreamDB(t)
	root := scratchDB(t)
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	written, err := runLinted(Options{From: from, Root: root}, cfg)
	if len(written) != shared+2 {
		t.Fatalf("imported %d records, want %d (every one but PSF-2020-902); error: %v", len(written), shared+2, err)
	}
	var errs []error
	if many, ok := err.(interface{ Unwrap() []error }); ok {
		errs = many.Unwrap()
	}
	if len(errs) != 1 {
		t.Fatalf("problems: %v", err)
	}
	msg := errs[0].Error()
	src := func(id string) string { return filepath.Join(root, "advisories", "python", id+".yaml") }
	for _, want := range []string{
		filepath.Join(from, "advisories", "python", "PSF-2020-902.json") + `: PSF-2020-902 "Generated flaw B" was not imported`,
		`CVE-2020-90002 with PSF-2020-901 "Generated flaw A" (imported as ` + src("PSF-2020-901") + ")",
		`GHSA-5555-6666-7777 with PSF-2020-903 "Generated flaw C" (imported as ` + src("PSF-2020-903") + ")",
		"https://www.cve.org/CVERecord?id=CVE-2020-90002",
		"remove it where it is wrong: from " + src("PSF-2020-901") + " or " + src("PSF-2020-903") + ", or from this record",
		"--skip-existing",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, msg)
		}
	}

	// Without SkipExisting, every present ID is a problem and nothing more
	// is written.
	again, err := runLinted(Options{From: from, Root: root}, cfg)
	if len(again) != 0 || err == nil || !strings.Contains(err.Error(), "already exists; use --skip-existing") {
		t.Fatalf("second import wrote %v: %v", again, err)
	}

	// The fix the refusal gives: drop the copied aliases, import again.
	for id, alias := range map[string]string{"PSF-2020-901": "CVE-2020-90002, ", "PSF-2020-903": ", GHSA-5555-6666-7777"} {
		data, err := os.ReadFile(src(id))
		if err != nil {
			t.Fatal(err)
		}
		fixed := strings.Replace(string(data), alias, "", 1)
		if fixed == string(data) {
			t.Fatalf("%s does not hold %q:\n%s", id, alias, data)
		}
		os.WriteFile(src(id), []byte(fixed), 0o644)
	}
	res, err := Migrate(withLint(Options{From: from, Root: root, SkipExisting: true}, cfg), cfg)
	if err != nil || len(res.Written) != 1 || len(res.Skipped) != shared+2 {
		t.Fatalf("import after the fix: wrote %v, skipped %d: %v", res.Written, len(res.Skipped), err)
	}
	if !strings.Contains(res.Skipped[0], "skipped, PSF-") || !strings.Contains(res.Skipped[0], "is already in the database") {
		t.Errorf("skip line: %s", res.Skipped[0])
	}
	if _, _, err := build.Records(root, time.Now()); err != nil {
		var le interface{ Unwrap() []error }
		errors.As(err, &le)
		t.Fatalf("the migrated database does not lint and build: %v", err)
	}
}
