package check

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// products is the repository's products configuration.
func products(t testing.TB) product.Config {
	t.Helper()
	cfg, err := product.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestParseInput(t *testing.T) {
	tests := []struct{ in, prod, wantProd, wantVer, wantErr string }{
		{"3.12.4", "", "python", "3.12.4", ""},
		{"v3.12.4", "", "python", "3.12.4", ""},
		{"  3.13.0rc1\n", "", "python", "3.13.0rc1", ""},
		{"Python 3.12.4 (main, Jun  6 2024, 18:26:44) [GCC 12.2.0]", "", "python", "3.12.4", ""},
		{"Python 3.13.0b2", "python", "python", "3.13.0b2", ""},
		{"pip 23.3 from /usr/lib/python3/dist-packages/pip (python 3.11)", "", "pip", "23.3", ""},
		{"23.3.1", "pip", "pip", "23.3.1", ""},
		{"0.2", "pip", "pip", "0.2", ""},
		{"23.3.post1", "pip", "pip", "23.3.post1", ""},
		{"v2.5c1", "", "python", "2.5rc1", ""},
		{"pip 23.3 from /x", "python", "", "", "is a pip version"},
		{"Python 3.14.0a1+ (heads/main:abc)", "", "", "", "development build"},
		{"3.12", "", "python", "3.12", ""},
		{"three", "", "", "", "unknown version format"},
		{"", "", "", "", "unknown version format"},
		{"3.12.4.1", "", "", "", "unknown version format"},
		{"3.12.4", "ruby", "", "", `unknown product "ruby": advisories/products.yaml lists pip, python`},
		// Issue 20 item 12: other implementations' `python -VV`.
		{"Python 3.10.14 (75b3de9d9da1, Jun 29 2024, 14:03:23)\n[PyPy 7.3.17 with GCC 10.2.1 20210130 (Red Hat 10.2.1-11)]", "", "", "", "cannot tell: this is PyPy, not CPython"},
		{"Python 3.9.18 (7.3.13+dfsg-1, Oct 01 2023, 19:24:31) [PyPy 7.3.13 with GCC 13.2.0]", "python", "", "", "this is PyPy"},
		{"GraalPy 3.11.7 (Oracle GraalVM Native 24.1.0)", "", "", "", "cannot tell: this is GraalPy, not CPython"},
		{"Python 3.10.8 (Thu Sep 19 13:51:46 UTC 2024)\n[Graal, Oracle GraalVM, Java 21.0.4 (amd64)]", "", "", "", "this is Graal, not CPython"},
		{"Python 3.8.12 (heads/rel2.3.5:b2a2f8b, Oct 13 2021, 19:50:04)\n[Pyston 2.3.5, GCC 9.4.0]", "", "", "", "this is Pyston"},
		{"pip 23.3 from /opt/pypy3.10/site-packages/pip (python 3.10)", "", "pip", "23.3", ""},
	}
	cfg := products(t)
	for _, tt := range tests {
		q, err := ParseInput(tt.in, tt.prod, cfg)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseInput(%q): %v, want error %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || q.Product != tt.wantProd || q.Version != tt.wantVer {
			t.Errorf("ParseInput(%q) = %s %s, %v; want %s %s", tt.in, q.Product, q.Version, err, tt.wantProd, tt.wantVer)
		}
	}
}

func computed(versions []string, rows ...lock.BranchResult) verdict.Summary {
	return verdict.Summary{Source: verdict.Computed, Versions: versions, Branches: rows}
}

func entries() []Entry {
	return []Entry{
		{ID: "PSF-2024-10", Product: "python", Title: "ten", Data: computed(
			[]string{"v3.12.0", "v3.12.1", "v3.12.2", "v3.13.0a1"},
			lock.BranchResult{Branch: "3.13", Status: lock.StatusFixed, FirstAffected: "v3.13.0a1", LastAffected: "v3.13.0a1", FixedIn: "v3.13.0a2"},
			lock.BranchResult{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.2", FixedIn: "v3.12.3"})},
		{ID: "PSF-2024-9", Product: "python", Title: "nine", Data: computed(
			[]string{"v3.11.0", "v3.11.1", "v3.12.0"},
			lock.BranchResult{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.0", FixedIn: "v3.12.1"},
			lock.BranchResult{Branch: "3.11", Status: lock.StatusUnfixed, FirstAffected: "v3.11.0", LastAffected: "v3.11.1"})},
		{ID: "PSF-2024-8", Product: "python", Withdrawn: true, Data: computed([]string{"v3.12.0"})},
		{ID: "PSF-2024-7", Product: "pip", Data: computed([]string{"3.12.0"})},
		{ID: "PSF-2024-12", Product: "python", Title: "twelve", Data: verdict.Summary{Source: verdict.Authored, Reaches: true, Branches: []lock.BranchResult{
			{Branch: "3.10", Status: lock.StatusFixed, FirstAffected: "0", FixedIn: "3.10.15"},
			// newer branches stated: facts that skip them cannot tell (verdict.Silent)
			{Branch: "3.11", Status: lock.StatusNotAffected}, {Branch: "3.12", Status: lock.StatusNotAffected},
			{Branch: "3.13", Status: lock.StatusNotAffected}}}},
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		ver  string
		want string // id:fixed_in:source ...
	}{
		{"3.12.0", "PSF-2024-9:3.12.1:computed PSF-2024-10:3.12.3:computed"}, // numeric ID order; withdrawn and pip skipped
		{"3.12.1", "PSF-2024-10:3.12.3:computed"},
		{"3.12.3", ""},
		{"3.12.99", ""},                    // after the fix
		{"3.11.1", "PSF-2024-9::computed"}, // unfixed branch
		{"3.11.7", "PSF-2024-9::computed"}, // newer than the lock's tags, still unfixed
		{"3.10.0", "PSF-2024-12:3.10.15:authored"},
		{"3.9.4", "PSF-2024-12:3.10.15:authored"}, // authored "0", every fix accounted for: older branches too
		{"3.10.15", ""},
		{"3.13.0a1", "PSF-2024-10:3.13.0a2:computed"},
		{"3.13.0", ""},
	}
	cfg := products(t)
	for _, tt := range tests {
		q, err := ParseInput(tt.ver, "", cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := Check(entries(), q, cfg[q.Product])
		var got []string
		for _, f := range r.Affected {
			got = append(got, f.ID+":"+f.FixedIn+":"+f.Source)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("Check(%s) = %v, want %s", tt.ver, got, tt.want)
		}
		if len(r.Unknown) != 0 || (r.Outcome() == verdict.Affected) != (tt.want != "") {
			t.Errorf("Check(%s): outcome %s, unknown %v", tt.ver, r.Outcome(), r.Unknown)
		}
	}
}

// TestCannotTell: an advisory without version data is named, never counted
// as "not affected"; an affected answer still wins the outcome.
func TestCannotTell(t *testing.T) {
	cfg := products(t)
	es := append(entries(), Entry{ID: "PSF-2025-2", Product: "python", Title: "two"}, Entry{ID: "PSF-2025-10", Product: "python"},
		Entry{ID: "PSF-2025-3", Product: "python", Withdrawn: true})
	for ver, want := range map[string]verdict.Outcome{"3.12.0": verdict.Affected, "3.12.99": verdict.CannotTell} {
		q, _ := ParseInput(ver, "", cfg)
		r := Check(es, q, cfg["python"])
		var ids []string
		for _, u := range r.Unknown {
			ids = append(ids, u.ID)
		}
		if r.Outcome() != want || strings.Join(ids, " ") != "PSF-2025-2 PSF-2025-10" {
			t.Errorf("%s: outcome %s, unknown %v; want %s and PSF-2025-2 PSF-2025-10", ver, r.Outcome(), ids, want)
		}
	}
}

// TestLockBehindRelease: a release newer than the lock's last affected tag
// of a fixed branch, but before the fix, counts as affected.
func TestLockBehindRelease(t *testing.T) {
	cfg := products(t)
	e := []Entry{{ID: "PSF-2025-1", Product: "python", Data: computed([]string{"v3.14.0"},
		lock.BranchResult{Branch: "3.14", Status: lock.StatusFixed, FirstAffected: "v3.14.0", LastAffected: "v3.14.0", FixedIn: "v3.14.2"})}}
	q, _ := ParseInput("3.14.1", "", cfg)
	if got := Check(e, q, cfg["python"]).Affected; len(got) != 1 || got[0].FixedIn != "3.14.2" {
		t.Fatalf("got %+v", got)
	}
}

// TestPipByEcosystemRange: a package product is judged by its ECOSYSTEM
// events in PEP 440 order, so releases without a git tag are judged.
func TestPipByEcosystemRange(t *testing.T) {
	cfg := products(t)
	e := []Entry{{ID: "PSF-2023-7", Product: "pip", Data: computed([]string{"1.0", "23.2.1"},
		lock.BranchResult{Branch: "main", Status: lock.StatusFixed, FirstAffected: "1.0", LastAffected: "23.2.1", FixedIn: "23.3"}),
		Ecosystem: []verdict.Event{{Introduced: "0"}, {Fixed: "23.3"}}}}
	for ver, want := range map[string]bool{"0.2": true, "0.6.3": true, "23.2.1": true, "23.3": false, "23.3.post1": false, "24.0": false} {
		q, err := ParseInput(ver, "pip", cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := Check(e, q, cfg["pip"])
		if (len(r.Affected) == 1) != want || r.Outcome() == verdict.CannotTell {
			t.Errorf("pip %s: %+v, want affected=%v", ver, r, want)
		}
	}
}

// FuzzParseInput: a version ParseInput accepts is in canonical form: read
// again as that product's version it is the same query (idempotence). And
// Check agrees with the reference, the advisories' own affected tags: every
// advisory of the product that is not withdrawn is judged or named as
// unknown, exactly once, and a computed advisory that lists the version
// among its affected tags is reported affected.
//
//	go test ./internal/check -run '^$' -fuzz FuzzParseInput -fuzztime 60s
func FuzzParseInput(f *testing.F) {
	for _, s := range []string{"3.12.4", "Python 3.12.4 (main)", "pip 23.3 from x", "v2.5c1", "3.14.0a1+", "3.12.1", "v3.13.0a1", "3.11.1"} {
		f.Add(s)
	}
	cfg := products(f)
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseInput(s, "", cfg)
		if err != nil {
			return
		}
		if again, err := ParseInput(q.Version, q.Product, cfg); err != nil || again != q {
			t.Fatalf("ParseInput(%q) = %+v, but its version read again is %+v, %v", s, q, again, err)
		}
		p := cfg[q.Product]
		res := Check(entries(), q, p)
		answered := len(res.Unknown)
		for _, n := range res.Judged {
			answered += n
		}
		affected := map[string]bool{}
		for _, a := range res.Affected {
			affected[a.ID] = true
		}
		want := 0
		for _, e := range entries() {
			if e.Product != q.Product || e.Withdrawn {
				continue
			}
			want++
			if p.Package == nil && e.Data.Source == verdict.Computed && listsRelease(p, e.Data.Versions, q.Version) && !affected[e.ID] {
				t.Fatalf("%s lists %s among its affected tags, but Check does not report it affected: %+v", e.ID, q.Version, res)
			}
		}
		if answered != want {
			t.Fatalf("%d advisories of %s, %d answered (judged or unknown): %+v", want, q.Product, answered, res)
		}
	})
}

// listsRelease reports whether tags holds release v (however spelled).
func listsRelease(p *product.Product, tags []string, v string) bool {
	for _, tag := range tags {
		if c, err := p.CompareReleases(tag, v); err == nil && c == 0 {
			return true
		}
	}
	return false
}

// TestParseInputProductsFromConfig: the product a version line names comes
// from the products configuration, not from a list in the code.
func TestParseInputProductsFromConfig(t *testing.T) {
	cfg, err := product.Parse("products.yaml", []byte("python:\n  title: CPython\n  repo: https://github.com/python/cpython\n  tag_pattern: '^v[0-9.]+$'\n"+
		"setuptools:\n  title: Setuptools\n  repo: https://github.com/pypa/setuptools\n  tag_pattern: '^v[0-9.]+$'\n  package: {ecosystem: PyPI, name: setuptools, purl: pkg:pypi/setuptools}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"setuptools 69.0.2 from /usr/lib/python3/dist-packages/setuptools": "setuptools 69.0.2",
		"SETUPTOOLS 70.1": "setuptools 70.1",
		"Python 3.12.4":   "python 3.12.4",
		"CPython 3.12.4":  "python 3.12.4",
		"3.12.4":          "python 3.12.4",
	} {
		q, err := ParseInput(in, "", cfg)
		if got := q.Product + " " + q.Version; err != nil || got != want {
			t.Errorf("ParseInput(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseInput("pip 23.3 from /x", "", cfg); err == nil {
		t.Errorf("pip, which this configuration does not list, was accepted")
	}
}

// TestProductsOf: products missing from the configuration are known by
// their records; a package product keeps PEP 440 order.
func TestProductsOf(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, "advisories", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("tool/A-1.json", `{"id": "A-1", "affected": [{"ranges": []}]}`)
	write("tool/A-2.json", `{"id": "A-2", "affected": [{"package": {"ecosystem": "PyPI", "name": "tool"}}]}`)
	write("other/B-1.json", `not json`)
	cfg := ProductsOf(dir, product.Config{"python": products(t)["python"]})
	if cfg["python"] == nil || cfg["tool"] == nil || cfg["tool"].Package == nil || cfg["other"] == nil || cfg["other"].Package != nil {
		t.Fatalf("ProductsOf = %+v", cfg)
	}
	if _, err := cfg["tool"].CompareReleases("1.0.post1", "1.0"); err != nil {
		t.Errorf("tool is not judged by PEP 440: %v", err)
	}
}

// TestParseInputBareVersion: a bare version is the interpreter's, the one
// product that is no package; with none or several, --product is needed.
func TestParseInputBareVersion(t *testing.T) {
	pkg := "  package: {ecosystem: PyPI, name: NAME, purl: pkg:pypi/NAME}\n"
	prod := func(name string, isPkg bool) string {
		s := name + ":\n  repo: https://github.com/x/" + name + "\n  tag_pattern: '^v?[0-9.]+$'\n"
		if isPkg {
			s += strings.ReplaceAll(pkg, "NAME", name)
		}
		return s
	}
	for _, c := range []struct{ config, want string }{
		{prod("cpython", false) + prod("pip", true), "cpython"},
		{prod("pip", true) + prod("setuptools", true), ""},
		{prod("a", false) + prod("b", false), ""},
	} {
		cfg, err := product.Parse("products.yaml", []byte(c.config))
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParseInput("3.12.4", "", cfg)
		if got := q.Product; got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("config %v: product %q, err %v; want %q", cfg.Names(), got, err, c.want)
		}
	}
}

// TestWriteTextEscapesRecords: the fields of a built directory's records
// (ID, aliases, severity, title) and its product directory's name are
// printed escaped: no terminal sequence, no line of the record's making.
func TestWriteTextEscapesRecords(t *testing.T) {
	dir := t.TempDir()
	prod := "py\x1b[2Jthon"
	rec := `{"id": "PSF-2024-1\u001b[2J", "summary": "title \u001b]8;;https://evil.test\u0007link\n::error file=x::forged",
		"aliases": ["CVE-2024-1\r::warning::forged"], "affected": [{"versions": ["v3.12.4"]}],
		"database_specific": {"severity": "HIGH\u009b31m", "versions_source": "computed"}}`
	for name, data := range map[string]string{"affected.json": rec, "unknown.json": strings.Replace(rec, `"computed"`, `"unknown"`, 1)} {
		p := filepath.Join(dir, "advisories", prod, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	es, err := FromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := ProductsOf(dir, nil)
	q := Query{Product: prod, Version: "3.12.4"}
	res := Check(es, q, cfg[prod])
	if len(res.Affected) != 1 || len(res.Unknown) != 1 {
		t.Fatalf("Check = %+v, want one affected and one unknown", res)
	}
	var out strings.Builder
	if err := WriteText(&out, cfg[prod].Title, q, res); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if strings.ContainsAny(text, "\x1b\x07\r\u009b") {
		t.Errorf("raw control characters in:\n%q", text)
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "::") && !strings.Contains(l, "PSF-2024-1") {
			t.Errorf("a record's text made a line of its own: %q", l)
		}
	}
	if !strings.Contains(text, `title \x1b]8;;https://evil.test\x07link\n::error file=x::forged`) {
		t.Errorf("the title is not shown escaped:\n%s", text)
	}
}

// writeCounter counts the writes it is given and keeps their bytes.
type writeCounter struct {
	strings.Builder
	writes int
	fail   bool
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	if w.fail {
		return 0, errors.New("disk full")
	}
	return w.Builder.Write(p)
}

// TestWriteTextWritesInChunks: a long answer reaches the writer in a few
// large writes (text/tabwriter alone writes every cell and its padding:
// about twelve writes a line), with every line there, and a failing
// writer's error is returned, not dropped.
func TestWriteTextWritesInChunks(t *testing.T) {
	var r Result
	for i := range 2000 {
		r.Affected = append(r.Affected, Finding{ID: fmt.Sprintf("PSF-2024-%d", i), Aliases: []string{fmt.Sprintf("CVE-2024-%d", 10000+i)}, Title: "a title", Severity: "HIGH", FixedIn: "3.12.5", Source: string(verdict.Computed)})
	}
	for i := range 500 {
		r.Unknown = append(r.Unknown, Unknown{ID: fmt.Sprintf("PSF-2025-%d", i), Title: "not judged"})
	}
	q := Query{Product: "python", Version: "3.12.4"}
	var w writeCounter
	if err := WriteText(&w, "CPython", q, r); err != nil {
		t.Fatal(err)
	}
	text := w.String()
	if lines := strings.Count(text, "\n"); lines != 2+2000+500 {
		t.Errorf("%d lines, want %d", lines, 2+2000+500)
	}
	for _, want := range []string{"PSF-2024-0  ", "PSF-2024-1999", "CVE-2024-11999", "PSF-2025-499", "fixed in 3.12.5"} {
		if !strings.Contains(text, want) {
			t.Errorf("the answer lacks %q", want)
		}
	}
	if most := len(text)/4096 + 2; w.writes > most {
		t.Errorf("%d writes for %d bytes, want at most %d", w.writes, len(text), most)
	}
	failing := writeCounter{fail: true}
	if err := WriteText(&failing, "CPython", q, r); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failing writer gave %v, want its error", err)
	}
}
