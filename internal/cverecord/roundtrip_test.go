package cverecord_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/cverecord/cvetest"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/testenv"
	"github.com/psf/advisory-builder/internal/version"
)

var now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func products(t *testing.T) product.Config {
	cfg, err := product.Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// productOf tells the product of a shared record (two are pip's).
func productOf(file string) string {
	if strings.Contains(file, "2023-5752") || strings.Contains(file, "2025-8869") {
		return "pip"
	}
	return "python"
}

// fillTODOs replaces what the scaffold left as TODO, as an author would.
func fillTODOs(a *advisory.Advisory) {
	if strings.Contains(a.Title, "TODO") {
		a.Title = "Filled title for " + a.Aliases[0]
	}
	if strings.Contains(a.Severity, "TODO") {
		a.Severity = "medium"
	}
	if strings.Contains(a.Introduced, "TODO") {
		a.Introduced = "0"
	}
	if strings.Contains(a.Description, "TODO") {
		a.Description = "Filled description."
	}
}

func importShared(t *testing.T) map[string]*cverecord.Imported {
	t.Helper()
	cfg := products(t)
	files, _ := filepath.Glob(testenv.Shared(t, "cve", "records", "*.json"))
	out := map[string]*cverecord.Imported{}
	for _, f := range files {
		r, err := cverecord.ReadFile(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		id := "PSF-0000-" + strings.ToLower(r.CVEMetadata.CVEID)
		im, err := cverecord.ToAdvisory(r, id, cfg[productOf(f)])
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = im
	}
	return out
}

// TestImportSharedRecordsLintClean imports every shared record, fills its
// TODOs, and requires the source to load and lint without errors, except
// the one a CVE record's single range brings: facts that do not place the
// record's fix commits on the branches they fixed (then lint says which).
func TestImportSharedRecordsLintClean(t *testing.T) {
	cfg := products(t)
	for f, im := range importShared(t) {
		a := im.Advisory
		fillTODOs(a)
		data, err := advisory.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("advisories", a.Product, a.ID+".yaml")
		loaded, ds := advisory.Parse(path, a.Product, data)
		if ds.HasErrors() {
			t.Fatalf("%s: the source does not load: %v\n%s", f, ds, data)
		}
		for _, d := range lint.All([]*advisory.Advisory{loaded}, lint.Options{Now: now, Products: cfg}) {
			unplaced := d.Rule == "facts" && strings.Contains(d.Message, "but the fix commits need") && !loaded.Account().Speaks(cfg[a.Product])
			if d.Severity == "error" && !unplaced {
				t.Errorf("%s: %s", filepath.Base(f), d)
			}
		}
	}
}

// resolutionFrom makes a lock entry from a record's own affected ranges, so
// that an imported advisory can be exported again.
func resolutionFrom(t *testing.T, f string) *lock.Entry {
	r, err := cverecord.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	res := &lock.Entry{}
	prefix := "v"
	if productOf(f) == "pip" {
		prefix = ""
	}
	for _, v := range r.Containers.CNA.Affected[0].Versions {
		b := lock.BranchResult{Status: lock.StatusFixed, FirstAffected: prefix + v.Version, FixedIn: prefix + v.LessThan}
		if v.LessThan == "" {
			b.Status, b.FixedIn, b.LastAffected = lock.StatusUnfixed, "", prefix+v.LessThanOrEqual
		}
		if v.Version == "0" {
			b.FirstAffected = prefix + "1.0"
		}
		b.Branch = branchOf(b.FirstAffected)
		if v.Version == "0" {
			b.Branch = branchOf(prefix + v.LessThan + v.LessThanOrEqual)
		}
		res.Branches = append(res.Branches, b)
	}
	return res
}

// TestExportValidates exports every imported shared record and validates the
// result against the CVE schema.
func TestExportValidates(t *testing.T) {
	cfg := products(t)
	s := cvetest.Schema(t)
	for f, im := range importShared(t) {
		a := im.Advisory
		fillTODOs(a)
		rec := &osv.Record{Advisory: a, Product: cfg[a.Product], Resolution: resolutionFrom(t, f),
			Vuln: &osv.Vulnerability{Modified: "2025-10-01T00:00:00Z"}}
		r, err := cverecord.FromRecord(rec)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		data, err := cverecord.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := cvetest.Validate(t, s, data); err != nil {
			t.Errorf("%s: the exported record is invalid: %v\n%s", filepath.Base(f), err, data)
		}
		checkExport(t, f, a, r)
	}
}

func checkExport(t *testing.T, f string, a *advisory.Advisory, r *cverecord.Record) {
	t.Helper()
	c := r.Containers.CNA
	if r.CVEMetadata.CVEID != a.Aliases[0] || c.Title != a.Title || c.ProviderMetadata.OrgID != cverecord.PSFOrgID {
		t.Errorf("%s: identity not carried: %+v", f, r.CVEMetadata)
	}
	if len(c.Credits) != len(a.Credits) {
		t.Errorf("%s: %d credits, want %d", f, len(c.Credits), len(a.Credits))
	}
	if a.CVSS != "" && (len(c.Metrics) != 1 || c.Metrics[0].CVSSV40.BaseScore <= 0) {
		t.Errorf("%s: CVSS 4.0 metric missing or unscored: %+v", f, c.Metrics)
	}
	if len(c.Affected[0].Versions) == 0 {
		t.Errorf("%s: no affected versions", f)
	}
	if !strings.HasPrefix(c.Descriptions[0].Value, "There is a "+strings.ToUpper(a.Severity)) &&
		advisory.SeverityOf(c.Descriptions[0].Value) == "" {
		t.Errorf("%s: description lacks the severity sentence", f)
	}
}

// TestSchemaRefusesBrokenExport shows the validation bites: a record whose
// affected entry lost its product is refused.
func TestSchemaRefusesBrokenExport(t *testing.T) {
	s := cvetest.Schema(t)
	cfg := products(t)
	for f, im := range importShared(t) {
		fillTODOs(im.Advisory)
		rec := &osv.Record{Advisory: im.Advisory, Product: cfg[im.Advisory.Product], Resolution: resolutionFrom(t, f),
			Vuln: &osv.Vulnerability{Modified: "2025-10-01T00:00:00Z"}}
		r, err := cverecord.FromRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		r.Containers.CNA.Affected[0].Versions[0].Status = "maybe"
		data, _ := json.Marshal(r)
		if err := cvetest.Validate(t, s, data); err == nil {
			t.Fatalf("%s: a version with status \"maybe\" validated", f)
		}
		return
	}
}

// TestRejectedValidates: a withdrawn advisory gives a REJECTED record that
// validates.
func TestRejectedValidates(t *testing.T) {
	cfg := products(t)
	a := &advisory.Advisory{ID: "PSF-2024-3", Product: "python", Aliases: []string{"CVE-2024-0397"},
		Published: "2024-06-17T16:00:00Z", Withdrawn: "2024-07-01T00:00:00Z", Title: "t", Description: "d", Introduced: "0"}
	r, err := cverecord.FromRecord(&osv.Record{Advisory: a, Product: cfg["python"], Vuln: &osv.Vulnerability{Modified: "2024-07-01T00:00:00Z"}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := cverecord.Marshal(r)
	if err := cvetest.Validate(t, cvetest.Schema(t), data); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if r.CVEMetadata.State != "REJECTED" {
		t.Fatalf("state %s", r.CVEMetadata.State)
	}
}

// TestExportRefuses: no CVE alias, no resolution.
func TestExportRefuses(t *testing.T) {
	cfg := products(t)
	a := &advisory.Advisory{ID: "PSF-2024-4", Path: "advisories/python/PSF-2024-4.yaml", Product: "python",
		Published: "2024-06-17T16:00:00Z", Title: "t", Description: "d", Introduced: "0"}
	rec := &osv.Record{Advisory: a, Product: cfg["python"], Vuln: &osv.Vulnerability{}}
	if _, err := cverecord.FromRecord(rec); err == nil || !strings.Contains(err.Error(), "no CVE alias") {
		t.Errorf("no alias: %v", err)
	}
	a.Aliases = []string{"CVE-2024-1"}
	if _, err := cverecord.FromRecord(rec); err == nil || !strings.Contains(err.Error(), "no CVE alias") {
		t.Errorf("malformed alias: %v", err)
	}
	a.Aliases = []string{"CVE-2024-12345"}
	if _, err := cverecord.FromRecord(rec); err == nil || !strings.Contains(err.Error(), "no resolution") {
		t.Errorf("no resolution: %v", err)
	}
}

func productsF(t *testing.T) product.Config {
	cfg, err := product.Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// branchOf is the X.Y branch of a release tag, or "".
func branchOf(tag string) string {
	v, err := version.Parse(tag)
	if err != nil {
		return ""
	}
	return v.Branch()
}
