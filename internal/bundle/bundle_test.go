package bundle_test

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/psf/advisory-builder/internal/golden"

	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

// sample is a small database: two CPython records (one withdrawn), two pip
// records, two sharing a modified time to exercise the tie-break.
func sample() []*osv.Record {
	return []*osv.Record{
		bundletest.PipRecord(bundletest.Spec{ID: "PSF-2024-3", Modified: "2024-07-01T10:00:00Z", Aliases: []string{"CVE-2024-3"}}),
		bundletest.CPython(bundletest.Spec{ID: "PSF-2024-10", Modified: "2024-07-01T10:00:00Z"}),
		bundletest.CPython(bundletest.Spec{ID: "PSF-2024-2", Modified: "2024-08-02T11:12:13.5Z", Withdrawn: "2024-08-02T11:12:13Z"}),
		bundletest.PipRecord(bundletest.Spec{ID: "PSF-2023-1", Modified: "2023-01-01T00:00:00+02:00"}),
	}
}

func openRoot(t *testing.T, dir string) *os.Root {
	t.Helper()
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func build(t *testing.T, recs []*osv.Record) string {
	t.Helper()
	dir := t.TempDir()
	root := openRoot(t, dir)
	if err := bundle.Write(root, recs); err != nil {
		t.Fatal(err)
	}
	if err := bundle.WriteSums(root); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestLayout compares the file list and every text file with
// testdata/layout.txtar (go test -update rewrites it), and checks the record
// and zip bytes.
func TestLayout(t *testing.T) {
	recs := sample()
	dir := build(t, recs)
	ar := &txtar.Archive{Comment: []byte("Output tree of bundle.Write + WriteSums for the sample records.\nFiles not shown in full are listed in 'files'.\n")}
	var list bytes.Buffer
	err := fs.WalkDir(os.DirFS(dir), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		list.WriteString(name + "\n")
		if strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".txt") || strings.HasPrefix(name, "rest/") || name == bundle.SumsFile {
			b, err := os.ReadFile(filepath.Join(dir, name))
			ar.Files = append(ar.Files, txtar.File{Name: name, Data: b})
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ar.Files = append([]txtar.File{{Name: "files", Data: list.Bytes()}}, ar.Files...)
	golden.Archive(t, filepath.Join("testdata", "layout.txtar"), ar)
	for _, r := range recs {
		for _, p := range []string{"advisories/" + r.Product.Name + "/" + r.Vuln.ID + ".json"} {
			b, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil || !bytes.Equal(b, r.JSON) {
				t.Errorf("%s: not the record's exact bytes (err %v)", p, err)
			}
		}
	}
	checkZip(t, filepath.Join(dir, "all.zip"), recs)
	checkZip(t, filepath.Join(dir, "GIT", "all.zip"), recs[1:3])
	checkZip(t, filepath.Join(dir, "PyPI", "all.zip"), []*osv.Record{recs[0], recs[3]})
	for _, eco := range []string{"GIT", "PyPI"} {
		a, _ := os.ReadFile(filepath.Join(dir, eco, "all.zip"))
		b, _ := os.ReadFile(filepath.Join(dir, "osv-scalibr", eco, "all.zip"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("osv-scalibr/%s/all.zip is not a copy of %s/all.zip", eco, eco)
		}
	}
}

// checkZip checks that the archive holds exactly the records, flat, sorted
// by name, dated 1980-01-01, deflated, with the exact bytes.
func checkZip(t *testing.T, path string, recs []*osv.Record) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	want := map[string][]byte{}
	for _, r := range recs {
		want[r.Vuln.ID+".json"] = r.JSON
	}
	if len(zr.File) != len(want) {
		t.Errorf("%s: %d entries, want %d", path, len(zr.File), len(want))
	}
	prev := ""
	for _, f := range zr.File {
		if f.Name <= prev {
			t.Errorf("%s: entry %s after %s: not sorted", path, f.Name, prev)
		}
		prev = f.Name
		if f.Method != zip.Deflate || f.Modified.Year() != 1980 || f.Modified.Month() != 1 || f.Modified.Day() != 1 {
			t.Errorf("%s: %s: method %d, time %v; want deflate, 1980-01-01", path, f.Name, f.Method, f.Modified)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc) // also checks the CRC
		rc.Close()
		if err != nil || !bytes.Equal(b, want[f.Name]) {
			t.Errorf("%s: %s: content differs from the record (err %v)", path, f.Name, err)
		}
	}
}

// TestDeterministic builds the same records twice, in different input
// orders, and compares every byte of the two trees.
func TestDeterministic(t *testing.T) {
	recs := bundletest.Generate(300)
	a := build(t, recs)
	shuffled := append([]*osv.Record(nil), recs...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b := build(t, shuffled)
	sa, _ := os.ReadFile(filepath.Join(a, bundle.SumsFile))
	sb, _ := os.ReadFile(filepath.Join(b, bundle.SumsFile))
	if len(sa) == 0 || !bytes.Equal(sa, sb) {
		t.Fatalf("two builds differ:\n%s\n---\n%s", sa, sb)
	}
	for _, name := range []string{"all.zip", "GIT/all.zip", "PyPI/all.zip", "modified_id.csv", "rest/python.json", "rest/pip.json"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestSha256sumCheck runs the real sha256sum -c over the tree.
func TestSha256sumCheck(t *testing.T) {
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("sha256sum not installed")
	}
	dir := build(t, bundletest.Generate(50))
	cmd := exec.Command("sha256sum", "-c", "--strict", "--quiet", bundle.SumsFile)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	if err := bundle.VerifySums(openRoot(t, dir)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, want string
		change     func(dir string) error
	}{
		{"changed", "GIT/all.zip has changed", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "GIT", "all.zip"), []byte("x"), 0o644)
		}},
		{"unlisted", "extra.txt is not listed", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x"), 0o644)
		}},
		{"missing", "ecosystems.txt is listed but missing", func(dir string) error {
			return os.Remove(filepath.Join(dir, "ecosystems.txt"))
		}},
	} {
		dir := build(t, bundletest.Generate(5))
		if err := tc.change(dir); err != nil {
			t.Fatal(err)
		}
		err := bundle.VerifySums(openRoot(t, dir))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: VerifySums = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestWriteRefuses(t *testing.T) {
	good := func() *osv.Record { return bundletest.CPython(bundletest.Spec{ID: "PSF-2024-1"}) }
	for _, tc := range []struct {
		name string
		recs func() []*osv.Record
		want string
	}{
		{"duplicate ID", func() []*osv.Record {
			return []*osv.Record{good(), bundletest.PipRecord(bundletest.Spec{ID: "PSF-2024-1"})}
		}, "ID PSF-2024-1 is used twice"},
		{"traversal ID", func() []*osv.Record {
			r := good()
			r.Vuln.ID = "../../etc/passwd"
			return []*osv.Record{r}
		}, "is not a plain file name"},
		{"bad modified", func() []*osv.Record {
			r := good()
			r.Vuln.Modified = "2024-06-01"
			return []*osv.Record{r}
		}, "modified \"2024-06-01\" is not an RFC 3339 time"},
		{"no vuln", func() []*osv.Record { return []*osv.Record{{}} }, "record 0: record has no OSV record"},
		{"nil record", func() []*osv.Record { return []*osv.Record{nil} }, "record 0: record has no OSV record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			err := bundle.Write(openRoot(t, dir), tc.recs())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Write = %v, want error containing %q", err, tc.want)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("refused input wrote %d entries", len(ents))
			}
		})
	}
}

// TestStaysInRoot plants a symbolic link to a directory outside the output
// root where the bundle writes; os.Root must refuse to follow it.
func TestStaysInRoot(t *testing.T) {
	outside := t.TempDir()
	dir := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "advisories")); err != nil {
		t.Fatal(err)
	}
	err := bundle.Write(openRoot(t, dir), sample())
	if err == nil {
		t.Fatal("Write followed a symbolic link out of the root")
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Fatalf("Write wrote %d entries outside the root", len(ents))
	}
	if err := bundle.WriteSums(openRoot(t, dir)); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("WriteSums over a symbolic link = %v, want a refusal", err)
	}
}

func TestEmpty(t *testing.T) {
	dir := build(t, nil)
	for name, want := range map[string]string{"modified_id.csv": "", "ecosystems.txt": ""} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", name, b, err, want)
		}
	}
}

// TestWriteEncodesReleasedJSON: a record whose JSON the build released is
// encoded again by the bundle, to the same bytes.
func TestWriteEncodesReleasedJSON(t *testing.T) {
	r := bundletest.CPython(bundletest.Spec{ID: "PSF-2024-1"})
	want, err := osv.Marshal(r.Vuln)
	if err != nil {
		t.Fatal(err)
	}
	r.JSON = nil
	dir := t.TempDir()
	if err := bundle.Write(openRoot(t, dir), []*osv.Record{r}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "advisories", r.Product.Name, "PSF-2024-1.json"))
	if err != nil || string(got) != string(want) {
		t.Errorf("written %q (%v), want %q", got, err, want)
	}
}
