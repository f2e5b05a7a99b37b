package ghsa_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/ghsa"
	"github.com/psf/advisory-builder/internal/ghsa/ghsatest"
	"github.com/psf/advisory-builder/internal/osv"
)

// pipRecord is a generated pip record shaped like the shipped pip
// advisory: a CVE, a GHSA alias (optional), a CWE and a CVSS 3.1 vector.
func pipRecord(ghsaAlias string) *osv.Vulnerability {
	aliases := []string{"CVE-2099-0001"}
	if ghsaAlias != "" {
		aliases = append(aliases, ghsaAlias)
	}
	v := bundletest.PipRecord(bundletest.Spec{ID: "PSF-2099-1", Aliases: aliases, VersionsSource: "authored"}).Vuln
	v.Severity = []osv.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:N"}}
	v.DatabaseSpecific.CWEIDs = []string{"CWE-77"}
	v.Credits = []osv.Credit{{Name: "Jane Finder", Type: "FINDER"}, {Name: "Octo Cat", Type: "REMEDIATION_DEVELOPER", Contact: []string{"mailto:o@example.org", "https://github.com/octocat"}}}
	return v
}

func body(t *testing.T, d *ghsa.Draft) map[string]any {
	t.Helper()
	b, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOf(t *testing.T) {
	d, err := ghsa.Of(pipRecord("GHSA-aaaa-bbbb-cccc"), bundletest.Pip.Repo)
	if err != nil {
		t.Fatal(err)
	}
	if d.Owner != "pypa" || d.Repo != "pip" || d.GHSA != "GHSA-aaaa-bbbb-cccc" || d.Path(d.GHSA) != "repos/pypa/pip/security-advisories/GHSA-aaaa-bbbb-cccc" {
		t.Errorf("draft = %s/%s %s %s", d.Owner, d.Repo, d.GHSA, d.Path(d.GHSA))
	}
	got := body(t, d)
	want := map[string]any{
		"summary":            "Generated advisory PSF-2099-1",
		"cve_id":             "CVE-2099-0001",
		"cwe_ids":            []any{"CWE-77"},
		"cvss_vector_string": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:N",
		"credits":            []any{map[string]any{"login": "octocat", "type": "remediation_developer"}},
		"vulnerabilities": []any{map[string]any{
			"package":                  map[string]any{"ecosystem": "pip", "name": "pip"},
			"vulnerable_version_range": "< 23.3",
			"patched_versions":         "23.3",
		}},
	}
	desc, _ := got["description"].(string)
	delete(got, "description")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body =\n%v\nwant\n%v", got, want)
	}
	for _, w := range []string{"A generated advisory used by the tests.", "## References", "- https://github.com/python/cpython/pull/123075", "## Credits\n\n- Jane Finder (finder)", "\n" + ghsa.Marker + "PSF-2099-1\n"} {
		if !strings.Contains(desc, w) {
			t.Errorf("description lacks %q:\n%s", w, desc)
		}
	}
	if _, ok := got["severity"]; ok {
		t.Error("severity sent beside cvss_vector_string")
	}
}

func TestRanges(t *testing.T) {
	type vuln struct{ Range, Patched string }
	for _, tc := range []struct {
		name   string
		events []osv.Event
		want   []vuln
	}{
		{"fixed", []osv.Event{{Introduced: "0"}, {Fixed: "23.3"}}, []vuln{{"< 23.3", "23.3"}}},
		{"introduced and fixed", []osv.Event{{Introduced: "1.0"}, {Fixed: "2.0"}}, []vuln{{">= 1.0, < 2.0", "2.0"}}},
		{"last affected", []osv.Event{{Introduced: "0"}, {LastAffected: "1.5"}}, []vuln{{"<= 1.5", ""}}},
		{"unfixed", []osv.Event{{Introduced: "0"}}, []vuln{{">= 0", ""}}},
		{"unfixed from", []osv.Event{{Introduced: "22.0"}}, []vuln{{">= 22.0", ""}}},
		{"two intervals", []osv.Event{{Introduced: "0"}, {Fixed: "9.0"}, {Introduced: "20.0"}, {Fixed: "23.3"}}, []vuln{{"< 9.0", "9.0"}, {">= 20.0, < 23.3", "23.3"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := pipRecord("")
			v.Affected[0].Ranges[0].Events = tc.events
			d, err := ghsa.Of(v, bundletest.Pip.Repo)
			if err != nil {
				t.Fatal(err)
			}
			var got []vuln
			for _, x := range d.Body.Vulnerabilities {
				got = append(got, vuln{x.GetVulnerableVersionRange(), x.GetPatchedVersions()})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ranges = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestOfRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    func() *osv.Vulnerability
		repo string
		want string
	}{
		{"unknown versions", func() *osv.Vulnerability {
			v := pipRecord("")
			v.Affected[0].Ranges = nil
			return v
		}, bundletest.Pip.Repo, "no package version range (versions unknown"},
		{"CPython record", func() *osv.Vulnerability {
			return bundletest.CPython(bundletest.Spec{ID: "PSF-2099-2"}).Vuln
		}, bundletest.CPythonRepo, "PSF-2099-2: no package version range"},
		{"withdrawn", func() *osv.Vulnerability {
			v := pipRecord("")
			v.Withdrawn = "2099-01-01T00:00:00Z"
			return v
		}, bundletest.Pip.Repo, "is withdrawn"},
		{"not on GitHub", pipRecord2, "https://gitlab.com/pypa/pip", "is not on github.com"},
		{"ecosystem GitHub lacks", func() *osv.Vulnerability {
			v := pipRecord("")
			v.Affected[0].Package.Ecosystem = "Hackage"
			return v
		}, bundletest.Pip.Repo, `ecosystem "Hackage" has no GitHub advisory ecosystem`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ghsa.Of(tc.v(), tc.repo)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Of error = %v, want %q", err, tc.want)
			}
		})
	}
}

func pipRecord2() *osv.Vulnerability { return pipRecord("") }

func TestOfSeverityWithoutCVSS(t *testing.T) {
	v := pipRecord("")
	v.Severity = nil
	d, err := ghsa.Of(v, bundletest.Pip.Repo)
	if err != nil {
		t.Fatal(err)
	}
	if d.Body.GetSeverity() != "medium" || d.Body.CVSSVectorString != nil {
		t.Errorf("severity %q, vector %v", d.Body.GetSeverity(), d.Body.CVSSVectorString)
	}
}

func mustSync(t *testing.T, c *ghsa.Client, d *ghsa.Draft) ghsa.Outcome {
	t.Helper()
	out, err := c.Sync(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func client(t *testing.T, s *ghsatest.Server) *ghsa.Client {
	t.Helper()
	c, err := ghsa.NewClient(s.URL, s.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkServer fails on any request the server found against GitHub's
// documented rules.
func checkServer(t *testing.T, s *ghsatest.Server) {
	t.Helper()
	for _, p := range s.Problems() {
		t.Errorf("server: %s", p)
	}
}

func TestSyncCreatesThenLeavesUnchanged(t *testing.T) {
	s := ghsatest.New(t, "tok")
	s.PageSize = 1
	s.Put("GHSA-0000-0000-0001", map[string]any{"summary": "another advisory", "cve_id": "CVE-2000-0001"})
	s.Put("GHSA-0000-0000-0002", map[string]any{"summary": "yet another"})
	c := client(t, s)
	d, err := ghsa.Of(pipRecord(""), bundletest.Pip.Repo)
	if err != nil {
		t.Fatal(err)
	}
	out := mustSync(t, c, d)
	if out.Action != "created" || out.GHSA == "" {
		t.Fatalf("first sync = %+v", out)
	}
	w := s.Writes()
	if len(w) != 1 || w[0].Method != "POST" || w[0].Path != "/repos/pypa/pip/security-advisories" {
		t.Fatalf("writes = %+v", w)
	}
	if !reflect.DeepEqual(w[0].Body, body(t, d)) {
		t.Errorf("the server received\n%s\nnot the draft's body", w[0].Raw)
	}
	if got := s.Advisory(out.GHSA)["state"]; got != "draft" {
		t.Errorf("created advisory state %v, want draft (maintainers review and publish it)", got)
	}
	// The next run finds the draft by its marker (no alias yet) and sends
	// nothing, although the listing came in pages.
	if again := mustSync(t, c, d); again.Action != "unchanged" || again.GHSA != out.GHSA {
		t.Errorf("second sync = %+v", again)
	}
	if n := len(s.Writes()); n != 1 {
		t.Errorf("%d writes after an unchanged sync", n)
	}
	// GitHub storing the description with CRLF and no final newline is
	// still the same advisory.
	stored := s.Advisory(out.GHSA)
	stored["description"] = strings.TrimSuffix(strings.ReplaceAll(stored["description"].(string), "\n", "\r\n"), "\r\n")
	if again := mustSync(t, c, d); again.Action != "unchanged" {
		t.Errorf("sync after GitHub reformatted the description = %+v", again)
	}
	checkServer(t, s)
}

func TestSyncUpdatesTheAliasedAdvisory(t *testing.T) {
	s := ghsatest.New(t, "tok")
	s.Put("GHSA-aaaa-bbbb-cccc", map[string]any{"summary": "old words", "cve_id": "CVE-2099-0001",
		"vulnerabilities": []any{map[string]any{"package": map[string]any{"ecosystem": "pip", "name": "pip"}, "vulnerable_version_range": "< 23.2", "patched_versions": "23.2"}}})
	d, err := ghsa.Of(pipRecord("GHSA-aaaa-bbbb-cccc"), bundletest.Pip.Repo)
	if err != nil {
		t.Fatal(err)
	}
	out := mustSync(t, client(t, s), d)
	if out.Action != "updated" || out.GHSA != "GHSA-aaaa-bbbb-cccc" {
		t.Fatalf("sync = %+v", out)
	}
	w := s.Writes()
	if len(w) != 1 || w[0].Method != "PATCH" || w[0].Path != "/repos/pypa/pip/security-advisories/GHSA-aaaa-bbbb-cccc" || !reflect.DeepEqual(w[0].Body, body(t, d)) {
		t.Fatalf("writes = %+v", w)
	}
	if got := s.Advisory("GHSA-aaaa-bbbb-cccc")["state"]; got != "published" {
		t.Errorf("state %v: an update must not change it", got)
	}
	checkServer(t, s)
}

func TestSyncErrors(t *testing.T) {
	s := ghsatest.New(t, "tok")
	d, err := ghsa.Of(pipRecord("GHSA-zzzz-zzzz-zzzz"), bundletest.Pip.Repo)
	if err != nil {
		t.Fatal(err)
	}
	// An alias GitHub does not know: the update is answered 404, and the
	// error names the record and the request.
	_, err = client(t, s).Sync(context.Background(), d)
	if err == nil || !strings.Contains(err.Error(), "PSF-2099-1: PATCH") || !strings.Contains(err.Error(), "404") {
		t.Errorf("unknown alias: %v", err)
	}
	bad, err := ghsa.NewClient(s.URL, "wrong", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Sync(context.Background(), d); err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong token: %v", err)
	}
	if _, err := ghsa.NewClient("ftp://example.org/", "t", nil); err == nil {
		t.Error("an ftp API URL was accepted")
	}
}
