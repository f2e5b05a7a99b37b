package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/pipeline"
	"github.com/psf/advisory-builder/internal/publish"
	"github.com/psf/advisory-builder/internal/resolve"
)

// fixture is a database (bare, with a CI checkout), a public advisory
// repository (bare) and a CPython-shaped product mirror, all real git
// repositories. Commits get git's own dates (the real clock), as in CI.
type fixture struct {
	t                           *testing.T
	dir, db, public, mirror, ci string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_AUTHOR_NAME": "Author", "GIT_AUTHOR_EMAIL": "author@example.org",
		"GIT_COMMITTER_NAME": "Committer", "GIT_COMMITTER_EMAIL": "committer@example.org",
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.DevNull,
		"ADVISORY_CACHE_DIR": t.TempDir(), "ADVISORY_PUSH_TOKEN": "",
		"GIT_COMMITTER_DATE": "", "GIT_AUTHOR_DATE": "",
	} {
		t.Setenv(k, v)
	}
	os.Unsetenv("GIT_COMMITTER_DATE")
	os.Unsetenv("GIT_AUTHOR_DATE")
	dir := t.TempDir()
	f := &fixture{t: t, dir: dir, db: filepath.Join(dir, "db.git"), public: filepath.Join(dir, "public.git"), mirror: filepath.Join(dir, "cpython.git")}
	gittest.CPython(t, f.mirror, true)
	f.git(dir, "init", "--quiet", "--bare", "--initial-branch=main", f.db)
	f.git(dir, "init", "--quiet", "--bare", "--initial-branch=main", f.public)
	seed := f.clone("seed")
	f.write(seed, "advisories/products.yaml", products)
	f.write(seed, "advisories/python/PSF-2024-1.yaml", strings.NewReplacer("PSF-0000-SLUG", "PSF-2024-1", "CVE-NUMBER", "CVE-2024-9001").Replace(advisory))
	f.commitAll(seed, "The first advisory")
	f.git(seed, "push", "--quiet", "origin", "HEAD:main")
	f.ci = f.clone("ci")
	return f
}

func (f *fixture) git(dir string, args ...string) string {
	f.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		f.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (f *fixture) clone(name string) string {
	f.t.Helper()
	d := filepath.Join(f.dir, name)
	f.git(f.dir, "clone", "--quiet", f.db, d)
	return d
}

func (f *fixture) write(root, name, content string) {
	f.t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) commitAll(dir, msg string) {
	f.t.Helper()
	f.git(dir, "add", "-A")
	f.git(dir, "commit", "--quiet", "-m", msg)
}

// merge lands a new placeholder advisory on the database's main.
func (f *fixture) merge(slug, cve string) {
	f.t.Helper()
	w := f.clone("merge-" + slug)
	f.write(w, "advisories/python/PSF-0000-"+slug+".yaml", strings.NewReplacer("SLUG", slug, "CVE-NUMBER", cve).Replace(advisory))
	f.commitAll(w, "Add "+slug)
	f.git(w, "push", "--quiet", "origin", "HEAD:main")
}

// resolver is the library's resolution, after wait.
func resolver(wait func()) pipeline.Resolver {
	return func(ctx context.Context, o resolve.Options) (*resolve.Outcome, error) {
		wait()
		return resolve.Product(ctx, o)
	}
}

// run is one pipeline publish run.
func (f *fixture) run(resolve pipeline.Resolver) (*pipeline.Report, string, error) {
	var log bytes.Buffer
	rep, err := pipeline.Run(context.Background(), pipeline.Options{
		Root:    f.ci,
		Mirrors: map[string]string{"python": f.mirror},
		Resolve: resolve,
		Publish: publish.Options{Remote: f.public, Branch: "main"},
		Ident:   []string{"-c", "user.name=Pipeline", "-c", "user.email=pipeline@example.org"},
		Log:     &log,
	})
	return rep, log.String(), err
}

// A publish run whose resolution is slow (it ends in a later second than
// the run started: CPython's mirror takes minutes) commits the assigned ID
// and the lock with git's clock, then builds: the build must take its
// clock after that commit, or it refuses HEAD as "in the future" after
// the database push, and the new advisory waits for the next run.
func TestSlowResolveCommitThenBuild(t *testing.T) {
	f := newFixture(t)
	if _, log, err := f.run(resolver(func() {})); err != nil {
		t.Fatalf("first run: %v\n%s", err, log)
	}
	f.merge("cookie", "CVE-2024-9002")
	slow := func() { // the next whole second: git's dates have one-second steps
		time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 50*time.Millisecond)))
	}
	rep, log, err := f.run(resolver(slow))
	if err != nil {
		t.Fatalf("publish run with a slow resolve: %v\n%s", err, log)
	}
	if rep.DBCommit == "" || rep.Published == nil || !rep.Published.Changed || strings.Join(rep.Published.Added, ",") != "PSF-2024-2" {
		t.Fatalf("the run did not commit and publish PSF-2024-2 in one go: %+v\n%s", rep.Published, log)
	}
	if got := f.git(f.public, "ls-tree", "-r", "--name-only", "main", "advisories/python"); !strings.Contains(got, "PSF-2024-2.json") {
		t.Errorf("published tree lacks PSF-2024-2:\n%s", got)
	}
}

const products = `python:
  title: CPython
  repo: https://github.com/python/cpython
  tag_pattern: '^v[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|c|rc)[0-9]+)?$'
  branches:
    main: feature
    "3.11": security
    "3.10": security
    "3.9": end-of-life
    "3.8": end-of-life
`

// The CPython-shaped repository's m2 introduces the bug, m7 fixes it on
// main; backports are discovered.
const advisory = `id: PSF-0000-SLUG
aliases: [CVE-NUMBER]
published: "2024-10-01T00:00:00Z"
title: Quadratic complexity parsing SLUG
severity: medium
description: |
  Parsing took quadratic time.
introduced: 8c263dd8e9a4f7b990cd14e06ef532c12bf4b58b
branches:
  - branch: main
    fixed: 600c4f506afa960bbfeb52d1221e285e694ca9da
    pr: 123075
references:
  - type: FIX
    url: https://github.com/python/cpython/pull/123075
`

// A publish run lints the database before it assigns IDs or pushes
// anything: a merged placeholder lint refuses (a date no ID can be
// numbered by, a field over its bound) stops the run with the diagnostic,
// and neither main nor the counter moves.
func TestLintBeforeAssign(t *testing.T) {
	for _, tc := range []struct{ name, from, to, want string }{
		{"published in 2999", `published: "2024-10-01T00:00:00Z"`, `published: "2999-01-01T00:00:00Z"`, "published 2999-01-01T00:00:00Z is in the future"},
		{"title too long", "title: Quadratic complexity parsing SLUG", "title: " + strings.Repeat("Quadratic ", 13), "title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			w := f.clone("bad")
			f.write(w, "advisories/python/PSF-0000-bad.yaml", strings.NewReplacer(tc.from, tc.to, "SLUG", "bad", "CVE-NUMBER", "CVE-2024-9003").Replace(advisory))
			f.commitAll(w, "Add a bad advisory")
			f.git(w, "push", "--quiet", "origin", "HEAD:main")
			before := f.git(f.db, "rev-parse", "main")
			_, log, err := f.run(resolver(func() {}))
			if !errors.Is(err, pipeline.ErrFindings) || !strings.Contains(log, tc.want) {
				t.Fatalf("run = %v, want the lint finding %q\n%s", err, tc.want, log)
			}
			if strings.Contains(log, "pipeline: assign-ids") {
				t.Errorf("the run assigned IDs before it linted:\n%s", log)
			}
			if after := f.git(f.db, "rev-parse", "main"); after != before {
				t.Errorf("the database's main moved from %s to %s", before, after)
			}
			if got := f.git(f.public, "for-each-ref"); got != "" {
				t.Errorf("something was published: %s", got)
			}
		})
	}
}

// An advisory lint lets through but `advisory cve` refuses (a description
// over the CVE schema's 4096 characters: lint only warns) stops the run
// before it publishes, naming the advisory and the reason, instead of
// failing in the drafts step after the records went out.
func TestDraftsCheckedBeforePublishing(t *testing.T) {
	f := newFixture(t)
	w := f.clone("long")
	long := "  " + strings.Repeat("Parsing took quadratic time. ", 180) + "\n"
	f.write(w, "advisories/python/PSF-0000-long.yaml", strings.NewReplacer("  Parsing took quadratic time.\n", long, "SLUG", "long", "CVE-NUMBER", "CVE-2024-9004").Replace(advisory))
	f.commitAll(w, "Add an advisory with a long description")
	f.git(w, "push", "--quiet", "origin", "HEAD:main")
	rep, log, err := f.run(resolver(func() {}))
	if !errors.Is(err, pipeline.ErrFindings) || !strings.Contains(log, "drafts of PSF-2024-2: ") || !strings.Contains(log, "4096") {
		t.Fatalf("run = %v, want the drafts of PSF-2024-2 refused before publishing\n%s", err, log)
	}
	if rep.Published != nil {
		t.Errorf("the run published: %+v", rep.Published)
	}
	if got := f.git(f.public, "for-each-ref"); got != "" {
		t.Errorf("something was published: %s", got)
	}
}

// A commit pushed straight to main dated before its parent (a clock running
// behind) moves no published record's modified back: the records it does
// not touch publish as they are; the one it changes keeps the newest date
// below it, which the guard refuses, and the run says how to recover; a
// correctly dated commit on top dates the change and the next run
// publishes it.
func TestBackdatedCommitOnMain(t *testing.T) {
	f := newFixture(t)
	f.merge("second", "CVE-2024-9002")
	if _, log, err := f.run(resolver(func() {})); err != nil {
		t.Fatalf("first run: %v\n%s", err, log)
	}
	published := func(id string) string {
		return f.git(f.public, "show", "main:advisories/python/"+id+".json")
	}
	second := published("PSF-2024-2")

	w := f.clone("backdated")
	src := filepath.Join(w, "advisories/python/PSF-2024-1.yaml")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	f.write(w, "advisories/python/PSF-2024-1.yaml", strings.Replace(string(data), "Parsing took quadratic time.", "Parsing cookies took quadratic time.", 1))
	f.git(w, "add", "-A")
	t.Setenv("GIT_COMMITTER_DATE", "2024-06-01T00:00:00Z")
	f.git(w, "commit", "--quiet", "-m", "A commit made with a clock running behind")
	os.Unsetenv("GIT_COMMITTER_DATE")
	backdated := f.git(w, "rev-parse", "HEAD")
	f.git(w, "push", "--quiet", "origin", "HEAD:main")

	_, log, err := f.run(resolver(func() {}))
	var refused *pipeline.Refused
	if !errors.As(err, &refused) {
		t.Fatalf("run after the back-dated commit = %v, want the guard's refusal of PSF-2024-1\n%s", err, log)
	}
	if got := problemText(refused.Problems); strings.Contains(got, "goes back") || !strings.Contains(got, "PSF-2024-1: the record changes but modified stays") || strings.Contains(got, "PSF-2024-2") {
		t.Errorf("guard problems: want only PSF-2024-1's modified staying, nothing going back:\n%s", got)
	}
	if p := refused.Problems[0]; p.ID != "PSF-2024-1" || p.Path != "advisories/python/PSF-2024-1.json" {
		t.Errorf("the refusal does not name its record: %+v", p)
	}
	if !strings.Contains(log, "commit "+backdated+" on the database's main line has committer date 2024-06-01T00:00:00Z") ||
		!strings.Contains(log, "git commit --allow-empty") {
		t.Errorf("the run does not say how to recover:\n%s", log)
	}

	// Any correctly dated commit on top heals it.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 50*time.Millisecond)))
	f.git(w, "commit", "--quiet", "--allow-empty", "-m", "Date the changes of "+backdated[:12])
	f.git(w, "push", "--quiet", "origin", "HEAD:main")
	rep, log, err := f.run(resolver(func() {}))
	if err != nil {
		t.Fatalf("run after the correct commit: %v\n%s", err, log)
	}
	if strings.Join(rep.Published.Updated, ",") != "PSF-2024-1" {
		t.Errorf("updated %v, want PSF-2024-1", rep.Published.Updated)
	}
	if !strings.Contains(published("PSF-2024-1"), "Parsing cookies took quadratic time.") || published("PSF-2024-2") != second {
		t.Errorf("published records after the heal:\n%s\n%s", published("PSF-2024-1"), published("PSF-2024-2"))
	}
}

// A lint-clean one-line edit of products.yaml that changes what the
// records carry (the product's repo) moves the `modified` of that
// product's records: validation names it (never "No advisory source
// changed") and passes, and the publish run publishes the new records.
func TestProductsEditMovesModified(t *testing.T) {
	f := newFixture(t)
	if _, log, err := f.run(resolver(func() {})); err != nil {
		t.Fatalf("first run: %v\n%s", err, log)
	}
	before := f.git(f.public, "show", "main:advisories/python/PSF-2024-1.json")
	w := f.clone("moved")
	f.write(w, "advisories/products.yaml", strings.Replace(products, "repo: https://github.com/python/cpython", "repo: https://github.com/python/cpython-moved", 1))
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 50*time.Millisecond)))
	f.commitAll(w, "CPython moved")

	var log bytes.Buffer
	rep, err := pipeline.Validate(context.Background(), pipeline.Options{
		Root: w, Base: "origin/main", Mirrors: map[string]string{"python": f.mirror}, Resolve: resolver(func() {}),
		Publish: publish.Options{Remote: f.public, Branch: "main"}, Log: &log,
	})
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, log.String())
	}
	var sum bytes.Buffer
	rep.Summary(&sum)
	if strings.Contains(sum.String(), "No advisory source changed") || !strings.Contains(sum.String(), "### advisories/products.yaml") ||
		!strings.Contains(sum.String(), "every record of python carries") {
		t.Errorf("validation summary:\n%s", sum.String())
	}

	f.git(w, "push", "--quiet", "origin", "HEAD:main")
	rep, log2, err := f.run(resolver(func() {}))
	if err != nil {
		t.Fatalf("publish run after the products edit: %v\n%s", err, log2)
	}
	after := f.git(f.public, "show", "main:advisories/python/PSF-2024-1.json")
	if !strings.Contains(after, "cpython-moved") || strings.Join(rep.Published.Updated, ",") != "PSF-2024-1" {
		t.Fatalf("published record after the edit (updated %v):\n%s", rep.Published.Updated, after)
	}
	if modifiedOf(t, after) <= modifiedOf(t, before) {
		t.Errorf("modified did not move: %s, then %s", modifiedOf(t, before), modifiedOf(t, after))
	}
}

func modifiedOf(t *testing.T, record string) string {
	t.Helper()
	_, rest, ok := strings.Cut(record, `"modified": "`)
	if !ok {
		t.Fatalf("no modified in %s", record)
	}
	m, _, _ := strings.Cut(rest, `"`)
	return m
}

// A merged advisory whose release facts disagree with the computed result
// (3.10 said fixed in 3.10.1; git finds the backport first in v3.10.2)
// stops the publish run at resolve: the disagreement is printed, nothing
// is committed to main, nothing is published.
func TestCrossCheckStopsPublishing(t *testing.T) {
	f := newFixture(t)
	if _, log, err := f.run(resolver(func() {})); err != nil {
		t.Fatalf("first run: %v\n%s", err, log)
	}
	w := f.clone("disagreeing")
	facts := "  - branch: \"3.10\"\n    first_affected: \"3.10.0a1\"\n    fixed_in: \"3.10.1\"\n"
	f.write(w, "advisories/python/PSF-0000-facts.yaml", strings.NewReplacer("SLUG", "facts", "CVE-NUMBER", "CVE-2024-9005",
		"references:\n", facts+"references:\n").Replace(advisory))
	f.commitAll(w, "Add an advisory whose facts disagree with git")
	f.git(w, "push", "--quiet", "origin", "HEAD:main")
	db, pub := f.git(f.db, "rev-parse", "main"), f.git(f.public, "rev-parse", "main")
	_, log, err := f.run(resolver(func() {}))
	if err == nil || !strings.Contains(log, "error: fixed_in says 3.10.1, but v3.10.1 is affected") {
		t.Fatalf("run = %v, want it stopped by the disagreement\n%s", err, log)
	}
	if f.git(f.db, "rev-parse", "main") != db || f.git(f.public, "rev-parse", "main") != pub {
		t.Error("the run moved the database's main or the public repository")
	}
}

func problemText(ps []publish.Problem) string {
	var lines []string
	for _, p := range ps {
		lines = append(lines, p.Message)
	}
	return strings.Join(lines, "\n")
}
