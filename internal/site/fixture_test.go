package site

import (
	"net/http"
	"os"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// fixtureConfig is a products configuration like advisories/products.yaml.
func fixtureConfig() product.Config {
	return product.Config{
		"python": {
			Name: "python", Title: "CPython", Repo: "https://github.com/python/cpython",
			TagPattern: `^v[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|c|rc)[0-9]+)?$`,
			Branches:   map[string]string{"main": "feature", "3.13": "bugfix", "3.12": "security", "3.11": "security", "3.8": "end-of-life"},
		},
		"pip": {
			Name: "pip", Title: "pip", Repo: "https://github.com/pypa/pip",
			TagPattern: `^[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|rc)[0-9]+)?$`,
			Package:    &product.Package{Ecosystem: "PyPI", Name: "pip", PURL: "pkg:pypi/pip"},
			Branches:   map[string]string{"main": "feature"},
		},
	}
}

func sha(c byte) string {
	b := make([]byte, 40)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

// record builds an osv.Record the way build hands it to the site.
func record(cfg product.Config, a *advisory.Advisory, res *lock.Entry, modified string) *osv.Record {
	p := cfg[a.Product]
	if res != nil {
		res.InputDigest = lock.InputDigest(a)
	}
	return &osv.Record{
		Advisory:   a,
		Product:    p,
		Summary:    verdict.Of(a, res),
		Resolution: res,
		Vuln: &osv.Vulnerability{
			SchemaVersion: osv.SchemaVersion, ID: a.ID, Modified: modified,
			Published: a.Published, Withdrawn: a.Withdrawn, Summary: a.Title, Details: a.Description,
		},
	}
}

func pyVersions(branch string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, "v"+branch+"."+itoa(i))
	}
	return out
}

// fixtureRecords is the small database the golden and browser tests use.
func fixtureRecords(cfg product.Config) []*osv.Record {
	tarVersions := append(append(pyVersions("3.11", 0, 9), pyVersions("3.12", 0, 4)...), "v3.13.0a1", "v3.13.0b1", "v3.13.0rc1")
	tarfile := &advisory.Advisory{
		ID: "PSF-2024-3", Product: "python", Aliases: []string{"CVE-2024-6232", "GHSA-xxxx-xxxx-xxxx"},
		Published:  "2024-09-03T13:00:00Z",
		Title:      "Quadratic complexity when parsing tarfile headers",
		Severity:   "high",
		CVSS:       "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N",
		CWEs:       []string{"CWE-1333"},
		Components: []string{"tarfile", "tarfile.TarFile.extractall"},
		Description: "Regular expressions that allowed excessive backtracking during `tarfile.TarFile` header parsing " +
			"are vulnerable to ReDoS via specifically-crafted tar archives.\n\nSee [the issue](https://github.com/python/cpython/issues/121285) " +
			"and <https://mail.python.org/archives/list/security-announce@python.org/>.\n\n## Details\n\n```python\nimport tarfile\ntarfile.open('x.tar')\n```\n",
		Mitigations: "Do not open untrusted tar archives on an affected version.",
		Introduced:  "0",
		Branches: []advisory.Branch{
			{Branch: "main", Fixed: sha('a')}, {Branch: "3.12", Fixed: sha('b')}, {Branch: "3.11", Fixed: sha('c')},
		},
		Credits: []advisory.Credit{{Name: "Kasimir Schulz", Type: "FINDER"}, {Name: "Seth Larson", Type: "REMEDIATION_DEVELOPER"}},
		References: []advisory.Reference{
			{Type: "REPORT", URL: "https://github.com/python/cpython/issues/121285"},
			{Type: "FIX", URL: "https://github.com/python/cpython/pull/121286"},
			{Type: "WEB", URL: "http://bugs.python.org/issue1179"},
		},
	}
	tarRes := &lock.Entry{
		Versions: tarVersions,
		Branches: []lock.BranchResult{
			{Branch: "main", Status: "fixed", FirstAffected: "v3.13.0a1", LastAffected: "v3.13.0rc1", FixedIn: "v3.13.0", FixCommit: sha('a')},
			{Branch: "3.12", Status: "fixed", FirstAffected: "v3.12.0", LastAffected: "v3.12.4", FixedIn: "v3.12.5", FixCommit: sha('b')},
			{Branch: "3.11", Status: "fixed", FirstAffected: "v3.11.0", LastAffected: "v3.11.9", FixedIn: "v3.11.10", FixCommit: sha('c')},
		},
	}
	email := &advisory.Advisory{
		ID: "PSF-2025-1", Product: "python", Aliases: []string{"CVE-2025-1795"},
		Published: "2025-02-28T19:00:00Z", Title: "Mishandled comma during folding of email address headers",
		Severity: "low", Components: []string{"email.headerregistry"}, Platforms: []string{"windows"},
		Description: "During an address list folding when a separating comma ends up on a folded line, " +
			"the comma is not encoded.",
		Introduced: "0", Branches: []advisory.Branch{{Branch: "main", Fixed: sha('d')}, {Branch: "3.12", Fixed: sha('e')}},
	}
	emailRes := &lock.Entry{
		Versions: append(append(pyVersions("3.11", 0, 9), pyVersions("3.12", 0, 5)...), "v3.13.0"),
		Branches: []lock.BranchResult{
			{Branch: "main", Status: "fixed", FirstAffected: "v3.13.0", LastAffected: "v3.13.0", FixedIn: "v3.13.1", FixCommit: sha('d')},
			{Branch: "3.12", Status: "fixed", FirstAffected: "v3.12.0", LastAffected: "v3.12.5", FixedIn: "v3.12.6", FixCommit: sha('e')},
			{Branch: "3.11", Status: "unfixed", FirstAffected: "v3.11.0", LastAffected: "v3.11.9"},
		},
	}
	pending := &advisory.Advisory{
		ID: "PSF-2025-2", Product: "python", Published: "2025-03-10T12:00:00Z",
		Title: "Use-after-free in the ctypes module", Severity: "critical",
		CVSS:        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		Components:  []string{"ctypes"},
		Description: "A use-after-free in `ctypes` could be triggered by crafted input.",
		Introduced:  "0", Branches: []advisory.Branch{{Branch: "main", Fixed: sha('f')}},
	}
	withdrawn := &advisory.Advisory{
		ID: "PSF-2023-4", Product: "python", Aliases: []string{"CVE-2023-0001"},
		Published: "2023-05-01T00:00:00Z", Withdrawn: "2023-06-01T00:00:00Z",
		Title: "Duplicate of PSF-2023-3", Severity: "medium",
		Description: "This advisory duplicated another one and was withdrawn.", Introduced: "0",
	}
	pipAdv := &advisory.Advisory{
		ID: "PSF-2023-7", Product: "pip", Aliases: []string{"CVE-2023-5752"},
		Published: "2023-10-03T00:00:00Z", Title: "Mercurial configuration injectable in repo revision when installing via pip",
		Severity: "low", Components: []string{"pip._internal.vcs.mercurial"},
		Description: "When installing a package from a Mercurial VCS URL, the revision could inject configuration options.",
		Introduced:  "0", Branches: []advisory.Branch{{Branch: "main", Fixed: sha('9')}},
	}
	pipRes := &lock.Entry{
		Versions: []string{"22.3", "22.3.1", "23.0", "23.1", "23.2", "23.2.1"},
		Branches: []lock.BranchResult{{Branch: "main", Status: "fixed", FirstAffected: "22.3", LastAffected: "23.2.1", FixedIn: "23.3", FixCommit: sha('9')}},
	}
	// Version data authored from the CVE record, no lock entry (CVE-2024-7592).
	cookies := &advisory.Advisory{
		ID: "PSF-2024-9", Product: "python", Aliases: []string{"CVE-2024-7592"},
		Published: "2024-08-19T19:00:00Z", Title: "Quadratic complexity parsing cookies with backslashes",
		Severity: "low", Components: []string{"http.cookies"},
		Description: "When parsing cookies that contained backslashes for quoted characters, the parser used an algorithm with quadratic complexity.",
		Introduced:  "0",
		Branches: []advisory.Branch{
			{Branch: "main", Fixed: sha('1'), FirstAffected: "3.13.0a1", FixedIn: "3.13.0rc2"},
			{Branch: "3.12", Fixed: sha('2'), FirstAffected: "3.12.0", FixedIn: "3.12.6"},
			{Branch: "3.11", Fixed: sha('3'), FirstAffected: "3.11.0", FixedIn: "3.11.10"},
			{Branch: "3.8", Fixed: sha('4'), FirstAffected: "0", FixedIn: "3.8.20"},
		},
	}
	pipRec := record(cfg, pipAdv, pipRes, "2023-10-05T00:00:00Z")
	pipRec.Vuln.Affected = []osv.Affected{{
		Package: &osv.Package{Ecosystem: "PyPI", Name: "pip", PURL: "pkg:pypi/pip"},
		Ranges:  []osv.Range{{Type: "ECOSYSTEM", Events: []osv.Event{{Introduced: "0"}, {Fixed: "23.3"}}}},
	}}
	return []*osv.Record{
		record(cfg, cookies, nil, "2024-08-20T00:00:00Z"),
		record(cfg, tarfile, tarRes, "2024-09-10T10:00:00Z"),
		record(cfg, email, emailRes, "2025-03-01T08:30:00Z"),
		record(cfg, pending, nil, "2025-03-10T12:00:00Z"),
		record(cfg, withdrawn, &lock.Entry{}, "2023-06-01T00:00:00Z"),
		pipRec,
	}
}

// rootSilentRecord: introduced "0" and facts for 3.12 alone, so the
// commit data reaches 3.11 (security) while the facts skip it: cannot tell
// there, as lint warns.
func rootSilentRecord(cfg product.Config) *osv.Record {
	a := &advisory.Advisory{
		ID: "PSF-2024-21", Product: "python", Published: "2024-10-01T00:00:00Z", Title: "Facts for one branch only",
		Severity: "low", Description: "Text.", Introduced: "0",
		Branches: []advisory.Branch{{Branch: "3.12", FirstAffected: "3.12.0", FixedIn: "3.12.6"}},
	}
	return record(cfg, a, nil, "2024-10-01T00:00:00Z")
}

// buildFixture renders the fixture site into a fresh directory.
func buildFixture(t testing.TB) string {
	t.Helper()
	cfg := fixtureConfig()
	return buildSite(t, fixtureRecords(cfg), cfg)
}

// servedFixture renders the fixture site, with the release lists the
// checker reads, into a fresh directory and returns it with its handler.
func servedFixture(t *testing.T) (dir string, h http.Handler) {
	t.Helper()
	cfg := fixtureConfig()
	recs := fixtureRecords(cfg)
	withReleaseLists(t, recs, cfg)
	dir = buildSite(t, recs, cfg)
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, h
}

// buildSite renders records into a fresh directory.
func buildSite(t testing.TB, recs []*osv.Record, cfg product.Config) string {
	t.Helper()
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if err := Write(root, recs, cfg); err != nil {
		t.Fatal(err)
	}
	return dir
}
