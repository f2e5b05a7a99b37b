package cli

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/ghsa/ghsatest"
)

// ghsaPip is a pip advisory without a GHSA alias: the pipeline drafts one.
const ghsaPip = `id: PSF-2024-2
aliases: [CVE-2024-9002]
published: "2024-10-02T00:00:00Z"
title: Options injected through a revision
severity: medium
cvss_v3: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:N"
cwes: [CWE-77]
description: |
  A crafted revision passed options to the version control command.
introduced: "0"
branches:
  - branch: main
    fixed: FIX
    first_affected: "0"
    fixed_in: "23.3"
references:
  - type: FIX
    url: https://github.com/pypa/pip/pull/12306
credits:
  - name: Jane Finder
    type: REPORTER
    contact: [https://github.com/janefinder]
`

const ghsaProducts = lifecycleProducts + `pip:
  title: pip
  repo: https://github.com/pypa/pip
  tag_pattern: '^[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|rc)[0-9]+)?$'
  package:
    ecosystem: PyPI
    name: pip
    purl: pkg:pypi/pip
  branches:
    main: feature
`

// TestPipelineGitHubAdvisory runs pipeline publish on a database with a pip
// advisory: without a token it prints the request it would send and sends
// nothing; with one it drafts the advisory on a local stand-in of GitHub's
// API (127.0.0.1), which checks each request as GitHub documents it and
// receives exactly the body `advisory ghsa` writes; a second run sends
// nothing.
func TestPipelineGitHubAdvisory(t *testing.T) {
	l := newLifecycle(t)
	pip := filepath.Join(l.dir, "pip")
	l.git(l.dir, "init", "--quiet", "--initial-branch=main", pip)
	l.git(pip, "commit", "--quiet", "--allow-empty", "-m", "Release 23.2")
	l.git(pip, "tag", "23.2")
	l.git(pip, "commit", "--quiet", "--allow-empty", "-m", "Fix the flaw")
	fix := l.git(pip, "rev-parse", "HEAD")
	l.git(pip, "commit", "--quiet", "--allow-empty", "-m", "Release 23.3")
	l.git(pip, "tag", "23.3")
	ci := l.clone("ci")
	l.write(ci, "advisories/products.yaml", ghsaProducts)
	l.write(ci, "advisories/pip/PSF-2024-2.yaml", strings.Replace(ghsaPip, "FIX", fix, 1))
	l.git(ci, "add", "-A")
	l.git(ci, "commit", "--quiet", "-m", "A pip advisory")
	l.git(ci, "push", "--quiet", "origin", "HEAD:main")
	run := func() (string, string) {
		t.Helper()
		return l.mustAdvisory("pipeline", "publish", "--root", ci, "--mirror", "python="+l.product, "--mirror", "pip="+pip, "--remote", l.public)
	}
	want, _ := l.mustAdvisory("ghsa", "PSF-2024-2", "--root", ci)

	t.Setenv(envGHSAToken, "")
	_, errs := run()
	l.contains("run without a token", errs, "pipeline: GitHub advisory of PSF-2024-2: no token, nothing sent; with one this run would send POST https://api.github.com/repos/pypa/pip/security-advisories", want)

	s := ghsatest.New(t, "secret-token")
	t.Setenv(envGHSAToken, s.Token)
	t.Setenv(envGitHubAPI, s.URL)
	_, errs = run()
	l.contains("run with a token", errs, "pipeline: GitHub advisory of PSF-2024-2: created GHSA-", "pip's maintainers review and publish it")
	if strings.Contains(errs, s.Token) {
		t.Error("the log holds the token")
	}
	w := s.Writes()
	if len(w) != 1 || w[0].Method != "POST" || w[0].Path != "/repos/pypa/pip/security-advisories" {
		t.Fatalf("writes: %+v", w)
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(want), &sent); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w[0].Body, sent) {
		t.Errorf("the server received\n%s\nnot what advisory ghsa writes\n%s", w[0].Raw, want)
	}
	vulns, _ := w[0].Body["vulnerabilities"].([]any)
	if len(vulns) != 1 || !reflect.DeepEqual(vulns[0], map[string]any{
		"package":                  map[string]any{"ecosystem": "pip", "name": "pip"},
		"vulnerable_version_range": "< 23.3", "patched_versions": "23.3",
	}) {
		t.Errorf("vulnerabilities = %v", vulns)
	}

	_, errs = run()
	l.contains("second run", errs, "pipeline: GitHub advisory of PSF-2024-2: unchanged GHSA-")
	if n := len(s.Writes()); n != 1 {
		t.Errorf("%d writes after a run with nothing to change", n)
	}
	for _, p := range s.Problems() {
		t.Errorf("server: %s", p)
	}
}
