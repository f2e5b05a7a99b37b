package conformance

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	cpb "github.com/google/osv-scalibr/binary/proto/config_go_proto"
	"github.com/google/osv-scalibr/enricher/vulnmatch/osvlocal"
	"github.com/google/osv-scalibr/extractor"
	"github.com/google/osv-scalibr/inventory"
	"github.com/google/osv-scalibr/plugin/config"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

func writeBundle(t *testing.T, recs []*osv.Record) string {
	return bundletest.Output(t, recs, nil)
}

// offlineScan runs osv-scalibr's osvlocal enricher with the bundle directory
// as its local database path and downloads off, as osv-scanner's offline
// mode does, and returns the matched IDs per package index.
func offlineScan(t *testing.T, dir string, pkgs []*extractor.Package) [][]string {
	t.Helper()
	cfg := &config.PluginConfig{
		ProtoConfig: &cpb.PluginConfig{PluginSpecific: []*cpb.PluginSpecificConfig{{
			Config: &cpb.PluginSpecificConfig_Osvlocal{Osvlocal: &cpb.OSVLocalConfig{LocalPath: dir, Download: false}},
		}}},
		ClientFactories: config.NewDefaultClientFactories("advisory-builder-test"),
	}
	e, err := osvlocal.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{Packages: pkgs}
	if err := e.Enrich(t.Context(), nil, inv); err != nil {
		t.Fatalf("offline enrich over %s: %v", dir, err)
	}
	got := make([][]string, len(pkgs))
	for _, pv := range inv.PackageVulns {
		i := slices.Index(pkgs, pv.Package)
		got[i] = append(got[i], pv.Vulnerability.GetId())
	}
	for _, ids := range got {
		slices.Sort(ids)
	}
	return got
}

// TestOfflineDatabase: the bundle directory is an osv-scalibr/osv-scanner
// offline database as it is (<dir>/osv-scalibr/<ECOSYSTEM>/all.zip).
func TestOfflineDatabase(t *testing.T) {
	recs := []*osv.Record{
		bundletest.CPython(bundletest.Spec{ID: "PSF-2024-1", Versions: []string{"v3.12.0", "v3.12.1"}}),
		bundletest.CPython(bundletest.Spec{ID: "PSF-2024-2", Versions: []string{"v3.12.1", "v3.13.0"}}),
		bundletest.CPython(bundletest.Spec{ID: "PSF-2024-3", Versions: []string{"v3.12.1"}, Withdrawn: "2024-07-01T00:00:00Z"}),
		bundletest.PipRecord(bundletest.Spec{ID: "PSF-2024-4", Versions: []string{"23.0", "23.1"}, Fixed: []string{"23.2"}}),
	}
	dir := writeBundle(t, recs)
	pkgs := []*extractor.Package{cpythonPkg("v3.12.1"), cpythonPkg("v3.12.2"), pipPkg("23.1"), pipPkg("23.2")}
	got := offlineScan(t, dir, pkgs)
	want := [][]string{{"PSF-2024-1", "PSF-2024-2"}, nil, {"PSF-2024-4"}, nil}
	for i := range pkgs {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("%s@%s: offline scan found %v, want %v", pkgs[i].Name, pkgs[i].Version, got[i], want[i])
		}
	}
}

// TestOfflineDatabaseMissing shows the scanner really reads the bundle: with
// the osv-scalibr directory removed, the offline enrich fails.
func TestOfflineDatabaseMissing(t *testing.T) {
	dir := writeBundle(t, []*osv.Record{bundletest.CPython(bundletest.Spec{ID: "PSF-2024-1"})})
	if err := os.RemoveAll(filepath.Join(dir, bundle.OfflineDir)); err != nil {
		t.Fatal(err)
	}
	cfg := &config.PluginConfig{
		ProtoConfig: &cpb.PluginConfig{PluginSpecific: []*cpb.PluginSpecificConfig{{
			Config: &cpb.PluginSpecificConfig_Osvlocal{Osvlocal: &cpb.OSVLocalConfig{LocalPath: dir}},
		}}},
		ClientFactories: config.NewDefaultClientFactories(""),
	}
	e, err := osvlocal.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{Packages: []*extractor.Package{cpythonPkg("v3.12.0")}}
	if err := e.Enrich(t.Context(), nil, inv); err == nil {
		t.Fatal("offline enrich succeeded without the osv-scalibr directory: the test is not reading the bundle")
	}
}

// TestBundleRecordsDecode decodes every entry of every archive strictly.
func TestBundleRecordsDecode(t *testing.T) {
	recs := bundletest.Generate(60)
	dir := writeBundle(t, recs)
	n := 0
	for _, name := range []string{"all.zip", "GIT/all.zip", "PyPI/all.zip", "osv-scalibr/GIT/all.zip", "osv-scalibr/PyPI/all.zip"} {
		zr, err := zip.OpenReader(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			decode(t, name+":"+f.Name, b)
			n++
		}
		zr.Close()
	}
	if n != 2*len(recs)+len(recs) {
		t.Errorf("decoded %d archive entries, want %d", n, 3*len(recs))
	}
}
