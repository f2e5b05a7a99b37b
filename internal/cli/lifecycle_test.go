package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
)

// The lifecycle test drives the workflows' commands (pipeline validate and
// pipeline publish, resolve --check --pr) against real local repositories:
// the database (a bare repository with CI checkouts), the public advisory
// repository (bare) and a CPython-shaped product mirror. Every git date is
// fixed by the test's clock (lifecycle.at), so modified times are
// reproducible; the clock only moves forward, as a real one does.

const lifecycleDate = "2025-01-01T00:00:00Z"

type lifecycle struct {
	t                   *testing.T
	clock               string // the date of git commits and tags (at)
	dir                 string
	db, public, product string
}

func newLifecycle(t *testing.T) *lifecycle {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_AUTHOR_NAME": "Author", "GIT_AUTHOR_EMAIL": "author@example.org",
		"GIT_COMMITTER_NAME": "Committer", "GIT_COMMITTER_EMAIL": "committer@example.org",
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.DevNull,
		"ADVISORY_CACHE_DIR": t.TempDir(), "ADVISORY_PUSH_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
	dir := t.TempDir()
	l := &lifecycle{t: t, dir: dir, db: filepath.Join(dir, "db.git"), public: filepath.Join(dir, "public.git"), product: filepath.Join(dir, "cpython.git")}
	l.at(lifecycleDate)
	gittest.CPython(t, l.product, true)
	l.git(dir, "init", "--quiet", "--bare", "--initial-branch=main", l.db)
	l.git(dir, "init", "--quiet", "--bare", "--initial-branch=main", l.public)
	seed := l.clone("seed")
	l.write(seed, "advisories/products.yaml", lifecycleProducts)
	l.write(seed, "advisories/python/PSF-2024-1.yaml", lifecycleCookie)
	l.git(seed, "add", "-A")
	l.git(seed, "commit", "--quiet", "-m", "The first advisory")
	l.git(seed, "push", "--quiet", "origin", "HEAD:main")
	return l
}

func (l *lifecycle) git(dir string, args ...string) string {
	l.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		l.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (l *lifecycle) clone(name string) string {
	l.t.Helper()
	d := filepath.Join(l.dir, name)
	l.git(l.dir, "clone", "--quiet", l.db, d)
	return d
}

func (l *lifecycle) write(root, name, content string) {
	l.t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		l.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		l.t.Fatal(err)
	}
}

// advisory runs the CLI in-process.
func (l *lifecycle) advisory(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = Main(args, &out, &errb)
	return out.String(), errb.String(), code
}

func (l *lifecycle) mustAdvisory(args ...string) (string, string) {
	l.t.Helper()
	out, errs, code := l.advisory(args...)
	if code != 0 {
		l.t.Fatalf("advisory %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errs)
	}
	return out, errs
}

// publishRun is what publish.yml and refresh.yml run, in a CI checkout.
func (l *lifecycle) publishRun(ci string, extra ...string) (stdout, summary string) {
	l.t.Helper()
	sum := filepath.Join(l.t.TempDir(), "summary.md")
	args := append([]string{"pipeline", "publish", "--root", ci, "--mirror", "python=" + l.product, "--remote", l.public, "--summary", sum}, extra...)
	out, _ := l.mustAdvisory(args...)
	data, _ := os.ReadFile(sum)
	return out, string(data)
}

// published lists the record files of the public repository's main.
func (l *lifecycle) published() string {
	return l.git(l.public, "ls-tree", "-r", "--name-only", "main", "advisories")
}

func (l *lifecycle) dbHead() string { return l.git(l.db, "rev-parse", "main") }

func (l *lifecycle) contains(what, text string, wants ...string) {
	l.t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			l.t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// newPlaceholder merges (or proposes, on a branch) an advisory with a
// placeholder ID.
func (l *lifecycle) newPlaceholder(work, slug, cve, published string) {
	l.t.Helper()
	l.newPlaceholderFacts(work, slug, cve, published, "")
}

// newPlaceholderFacts is newPlaceholder with more branch entries (authored
// release facts).
func (l *lifecycle) newPlaceholderFacts(work, slug, cve, published, branches string) {
	l.t.Helper()
	l.write(work, "advisories/python/PSF-0000-"+slug+".yaml", strings.NewReplacer("SLUG", slug, "CVE", cve, "PUBLISHED", published, "MORE\n", branches).Replace(lifecycleNew))
	l.git(work, "add", "-A")
	l.git(work, "commit", "--quiet", "-m", "Add "+slug)
}

func TestLifecycle(t *testing.T) {
	l := newLifecycle(t)
	ci := l.clone("ci")

	// The first run publishes the seeded advisory and commits its lock.
	out, sum := l.publishRun(ci)
	l.contains("first publish", out, "published ", "1 added")
	l.contains("first summary", sum, "## Advisory pipeline", "No placeholder IDs to assign", "Added: PSF-2024-1")
	if !strings.Contains(l.git(l.db, "ls-tree", "-r", "--name-only", "main"), "advisories/python.lock.json") {
		t.Fatal("the lock was not committed to the database's main")
	}

	// Refusals before any work: a dirty checkout (the run would lose the
	// edit) and a product without a mirror (every product is resolved).
	t.Run("refusals", func(t *testing.T) {
		l.write(ci, "advisories/python/notes.txt", "local edit\n")
		_, errs, code := l.advisory("pipeline", "publish", "--root", ci, "--mirror", "python="+l.product, "--remote", l.public)
		if code != 2 || !strings.Contains(errs, "has uncommitted changes (?? advisories/python/notes.txt)") {
			t.Errorf("dirty checkout: exit %d\n%s", code, errs)
		}
		os.Remove(filepath.Join(ci, "advisories/python/notes.txt"))
		_, errs, code = l.advisory("pipeline", "publish", "--root", ci, "--remote", l.public)
		if code != 2 || !strings.Contains(errs, "no --mirror for product [python]") {
			t.Errorf("no mirror: exit %d\n%s", code, errs)
		}
	})

	// A pull request adds a lint-clean placeholder without a lock entry.
	pr := l.clone("contributor")
	l.git(pr, "checkout", "--quiet", "-b", "cookie")
	// Its authored release facts say 3.10 was fixed in 3.10.1; git says the
	// backport is first in v3.10.2: the computed result and the facts
	// disagree, and validation stops until the source settles it.
	facts := "  - branch: \"3.10\"\n    first_affected: \"3.10.0a1\"\n    fixed_in: \"3.10.1\"\n"
	l.newPlaceholderFacts(pr, "cookie-header", "CVE-2024-9001", "2024-10-01T00:00:00Z", facts)
	l.git(pr, "push", "--quiet", "origin", "cookie")
	prCI := l.clone("pr-ci")
	l.git(prCI, "checkout", "--quiet", "cookie")
	before := l.git(l.public, "rev-parse", "main")
	t.Run("crosscheck gate", func(t *testing.T) {
		_, errs, code := l.advisory("resolve", "--root", prCI, "--repo", l.product, "--product", "python", "--check", "--pr")
		if code != 1 || !strings.Contains(errs, "error: fixed_in says 3.10.1, but v3.10.1 is affected") {
			t.Errorf("resolve --check --pr: exit %d, want 1 and the disagreement\n%s", code, errs)
		}
		out, errs, code := l.advisory("pipeline", "validate", "--root", prCI, "--base", "origin/main", "--mirror", "python="+l.product,
			"--remote", l.public, "--format", "github")
		if code != 1 {
			t.Fatalf("validate of a pull request whose facts disagree with git: exit %d, want 1\n%s%s", code, out, errs)
		}
		l.contains("validate annotations", errs, "::error file="+filepath.Join(prCI, "advisories/python/PSF-0000-cookie-header.yaml")+
			",line=15,col=15,title=advisory lint%3A crosscheck::fixed_in says 3.10.1, but v3.10.1 is affected", "accept_git")
		if l.git(l.public, "rev-parse", "main") != before {
			t.Error("validation moved the public repository")
		}
	})
	// The reviewers settle it: git is right on 3.10 (the backport missed
	// the 3.10.1 cut); the finding stays, as a warning.
	l.write(pr, "advisories/python/PSF-0000-cookie-header.yaml", strings.NewReplacer("SLUG", "cookie-header", "CVE", "CVE-2024-9001", "PUBLISHED", "2024-10-01T00:00:00Z",
		"MORE\n", facts+"    accept_git: \"The backport missed the 3.10.1 cut (reviewed)\"\n").Replace(lifecycleNew))
	l.git(pr, "commit", "--quiet", "-am", "git is right on 3.10")
	l.git(pr, "push", "--quiet", "origin", "cookie")
	l.git(prCI, "pull", "--quiet", "origin", "cookie")
	t.Run("validation", func(t *testing.T) {
		out, errs := l.mustAdvisory("resolve", "--root", prCI, "--repo", l.product, "--product", "python", "--check", "--pr")
		l.contains("resolve --check --pr", out, "PSF-0000-cookie-header: new advisory, not in the lock yet")
		sumFile := filepath.Join(t.TempDir(), "summary.md")
		out, errs = l.mustAdvisory("pipeline", "validate", "--root", prCI, "--base", "origin/main", "--mirror", "python="+l.product,
			"--remote", l.public, "--summary", sumFile, "--format", "github")
		l.contains("validate", out, "dry run: the guards pass; would publish 1 added")
		l.contains("validate annotations", errs, "::warning file="+filepath.Join(prCI, "advisories/python/PSF-0000-cookie-header.yaml")+
			",line=15,col=15,title=advisory lint%3A crosscheck::fixed_in says 3.10.1, but v3.10.1 is affected")
		data, _ := os.ReadFile(sumFile)
		l.contains("validation summary", string(data),
			"## Pull request validation",
			"### PSF-0000-cookie-header → PSF-2024-2 (python, assigned on merge)",
			"| 3.10 | fixed | v3.10.0a1 | v3.10.1 | v3.10.2 | e5140952fea2 |",
			"Discovered backports: `", "(found by trailer)",
			"Unfixed maintained branches: 3.11 (security)",
			"PSF-0000-cookie-header.yaml:15:15: warning: fixed_in says 3.10.1, but v3.10.1 is affected",
			"### Publish guards (dry run): pass", "- Added: PSF-2024-2")
		if n := strings.Count(string(data), "branch 3.11 (security) is still unfixed"); n != 1 {
			t.Errorf("the resolver's warning appears %d times in the summary, want once:\n%s", n, data)
		}
		if st := l.git(prCI, "status", "--porcelain"); st != "" {
			t.Errorf("validation changed the checkout:\n%s", st)
		}
		if l.git(l.public, "rev-parse", "main") != before {
			t.Error("validation moved the public repository")
		}
	})

	// Pull requests the publish guards would refuse fail validation, with
	// an annotation at the source line.
	t.Run("refused", func(t *testing.T) {
		for _, tc := range []struct {
			name, edit string
			want       []string
		}{
			{"published changes", "published", []string{
				"::error file=" + filepath.Join(l.dir, "refuse-published", "advisories/python/PSF-2024-1.yaml") + ",line=2,col=1,title=advisory lint%3A publish-guard::PSF-2024-1: published changes"}},
			{"record removed", "remove", []string{
				"::error file=" + filepath.Join(l.dir, "refuse-remove", "advisories/python/PSF-2024-1.yaml") + ",line=1,col=1,title=advisory lint%3A publish-guard::advisories/python/PSF-2024-1.json (PSF-2024-1) is published but missing"}},
		} {
			w := l.clone("refuse-" + tc.edit)
			if tc.edit == "remove" {
				l.git(w, "rm", "--quiet", "advisories/python/PSF-2024-1.yaml")
			} else {
				l.write(w, "advisories/python/PSF-2024-1.yaml", strings.Replace(lifecycleCookie, "2024-09-03T12:00:00Z", "2024-09-02T12:00:00Z", 1))
			}
			l.git(w, "commit", "--quiet", "-am", tc.name)
			sumFile := filepath.Join(t.TempDir(), "summary.md")
			out, errs, code := l.advisory("pipeline", "validate", "--root", w, "--base", "origin/main", "--mirror", "python="+l.product,
				"--remote", l.public, "--summary", sumFile, "--format", "github")
			if code != 1 {
				t.Fatalf("%s: exit %d, want 1\n%s%s", tc.name, code, out, errs)
			}
			l.contains(tc.name, errs, tc.want...)
			data, _ := os.ReadFile(sumFile)
			l.contains(tc.name+" summary", string(data), "### Publish guards: refused")
		}
	})

	t.Run("commit dates", l.commitDates)

	// Merge; the publish run assigns, resolves, commits, builds, publishes.
	l.git(pr, "push", "--quiet", "origin", "cookie:main")
	out, sum = l.publishRun(ci, "--announce", filepath.Join(l.dir, "announce"))
	l.contains("merge publish", out, "1 added, 0 updated")
	l.contains("merge summary", sum, "| PSF-0000-cookie-header | PSF-2024-2 | advisories/python/PSF-2024-2.yaml |", "Added: PSF-2024-2",
		"#### PSF-2024-2", "Subject: [CVE-2024-9001]", `"cveId": "CVE-2024-9001"`)
	l.contains("published records", l.published(), "advisories/python/PSF-2024-1.json", "advisories/python/PSF-2024-2.json")
	if strings.Contains(l.published(), "PSF-0000") || strings.Contains(l.git(l.db, "ls-tree", "-r", "--name-only", "main"), "PSF-0000") {
		t.Fatal("a placeholder reached a remote")
	}
	if _, err := os.Stat(filepath.Join(l.dir, "announce", "PSF-2024-2.email.txt")); err != nil {
		t.Errorf("no e-mail draft: %v", err)
	}

	// Running again changes nothing, anywhere.
	dbBefore, pubBefore := l.dbHead(), l.git(l.public, "rev-parse", "main")
	out, _ = l.publishRun(ci)
	l.contains("rerun", out, "unchanged: nothing to publish")
	if l.dbHead() != dbBefore || l.git(l.public, "rev-parse", "main") != pubBefore {
		t.Fatal("a second run changed a remote")
	}

	// A release is tagged upstream: the refresh publishes the new version.
	l.at("2025-06-01T06:00:00Z")
	l.tagRelease("3.11", "v3.11.2", "2025-06-01T00:00:00Z")
	out, sum = l.publishRun(ci)
	l.contains("refresh", out, "0 added, 2 updated")
	l.contains("refresh summary", sum, "resolution locks committed to main as `", "### Affected versions changed", "| PSF-2024-1 | v3.11.2 |  |", "| PSF-2024-2 | v3.11.2 |  |")
	l.contains("refreshed record", l.git(l.public, "show", "main:advisories/python/PSF-2024-1.json"), `"v3.11.2"`, `"modified": "2025-06-01T06:00:00Z"`)
	l.tagDates(ci)

	// Two merges, one run: GitHub replaced the first (pending) run by the
	// second, which does all the work.
	dev := l.clone("dev")
	l.newPlaceholder(dev, "first", "CVE-2024-9002", "2024-11-01T00:00:00Z")
	l.git(dev, "push", "--quiet", "origin", "HEAD:main")
	l.newPlaceholder(dev, "second", "CVE-2024-9003", "2024-11-02T00:00:00Z")
	l.git(dev, "push", "--quiet", "origin", "HEAD:main")
	// That run dies right after its push, before it writes the drafts (the
	// drafts directory cannot be made): the records are public, the drafts
	// are not.
	l.write(l.dir, "announce-blocked", "a file where the drafts directory should be\n")
	out, errs, code := l.advisory("pipeline", "publish", "--root", ci, "--mirror", "python="+l.product, "--remote", l.public,
		"--announce", filepath.Join(l.dir, "announce-blocked"))
	if code == 0 {
		t.Fatalf("the run with an unwritable drafts directory succeeded:\n%s%s", out, errs)
	}
	l.contains("published records", l.published(), "PSF-2024-3.json", "PSF-2024-4.json")
	// Its re-run has nothing to publish and still makes the lost drafts,
	// derived from what the newest public commit added.
	drafts := filepath.Join(l.dir, "announce-rerun")
	out, sum = l.publishRun(ci, "--announce", drafts)
	l.contains("re-run after the crash", out, "unchanged: nothing to publish")
	l.contains("re-run summary", sum, "#### PSF-2024-3", "#### PSF-2024-4", "Subject: [CVE-2024-9002]", `"cveId": "CVE-2024-9003"`)
	for _, f := range []string{"PSF-2024-3.email.txt", "PSF-2024-3.cve.json", "PSF-2024-4.email.txt", "PSF-2024-4.cve.json"} {
		if _, err := os.Stat(filepath.Join(drafts, f)); err != nil {
			t.Errorf("draft lost by the crashed run: %v", err)
		}
	}
	if strings.Contains(sum, "#### PSF-2024-2") {
		t.Error("the re-run made drafts of an advisory an earlier commit published")
	}

	// Two publish runs race from two checkouts of the same main.
	l.newPlaceholder(dev, "raced", "CVE-2024-9004", "2024-11-03T00:00:00Z")
	l.git(dev, "pull", "--quiet", "--rebase", "origin", "main")
	l.git(dev, "push", "--quiet", "origin", "HEAD:main")
	a, b := l.clone("ci-a"), l.clone("ci-b")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	logs := make([]string, 2)
	for i, c := range []string{a, b} {
		wg.Go(func() {
			o, e, code := l.advisory("pipeline", "publish", "--root", c, "--mirror", "python="+l.product, "--remote", l.public)
			codes[i], logs[i] = code, o+e
		})
	}
	wg.Wait()
	for i := range codes {
		if codes[i] != 0 {
			t.Fatalf("racing run %d: exit %d\n%s", i, codes[i], logs[i])
		}
	}
	l.consistent()
}

// commitDates: a pull request with a commit main cannot take (dated in
// the future, or before its parent: fast-forwarded, it would move
// `modified` wrongly) fails validation, naming the commit, its date and
// the fix, in the log (an annotation) and in the summary; an honest pull
// request branched from an older main passes.
func (l *lifecycle) commitDates(t *testing.T) {
	for _, tc := range []struct{ name, date, want, rest string }{
		// The rehearsed build refuses a future HEAD too.
		{"future", "2099-12-31T23:59:59Z", "has committer date 2099-12-31T23:59:59Z, after the current time ", "Not published"},
		// Fast-forwarded, it no longer pulls the published `modified`
		// back (its change, a note, reaches no record): the guards' dry
		// run passes, the date is still refused.
		{"backdated", "2024-06-01T00:00:00Z", "has committer date 2024-06-01T00:00:00Z, before " + lifecycleDate + ", the committer date of its parent ", "already holds this output: nothing to publish"},
	} {
		w := l.clone("dates-" + tc.name)
		l.write(w, "advisories/python/PSF-2024-1.yaml", lifecycleCookie+"notes: reviewed\n")
		t.Setenv("GIT_COMMITTER_DATE", tc.date)
		l.git(w, "commit", "--quiet", "-am", tc.name)
		t.Setenv("GIT_COMMITTER_DATE", l.clock)
		commit := l.git(w, "rev-parse", "HEAD")
		sumFile := filepath.Join(t.TempDir(), "summary.md")
		out, errs, code := l.advisory("pipeline", "validate", "--root", w, "--base", "origin/main", "--mirror", "python="+l.product,
			"--remote", l.public, "--summary", sumFile, "--format", "github")
		if code != 1 {
			t.Fatalf("%s: exit %d, want 1\n%s%s", tc.name, code, out, errs)
		}
		l.contains(tc.name, errs, "::error title=advisory lint%3A commit-date::commit "+commit+" "+tc.want,
			"git rebase --force-rebase origin/main", "merge or squash commit")
		data, _ := os.ReadFile(sumFile)
		l.contains(tc.name+" summary", string(data), "### Commit dates: refused", "commit "+commit+" "+tc.want, tc.rest)
	}
	t.Run("stale branch", l.staleBranch)
}

// staleBranch: a pull request branched from main at T0 whose commits are
// dated T1, while main moved on to T2 > T1 (GitHub validates the merge of
// the pull request into the newest base, made at T3), passes: its commits
// are older than the base's HEAD but none is older than its parents. The
// same branch with a commit dated before its parent is refused. Nothing
// is pushed: the newer main is a local branch of the checkout.
func (l *lifecycle) staleBranch(t *testing.T) {
	day := func(n int) string {
		d, err := time.Parse(time.RFC3339, l.clock)
		if err != nil {
			t.Fatal(err)
		}
		return d.AddDate(0, 0, n).Format(time.RFC3339)
	}
	commitAt := func(w, date string, args ...string) string {
		t.Setenv("GIT_COMMITTER_DATE", date)
		defer t.Setenv("GIT_COMMITTER_DATE", l.clock)
		l.git(w, args...)
		return l.git(w, "rev-parse", "HEAD")
	}
	validate := func(w string) (string, string, int) {
		return l.advisory("pipeline", "validate", "--root", w, "--base", "newer", "--mirror", "python="+l.product,
			"--remote", l.public, "--format", "github")
	}
	for _, tc := range []struct {
		name, date string // the pull request's second commit
		refused    bool
	}{
		{"honest", day(1), false},
		{"backdated", day(-1), true},
	} {
		w := l.clone("stale-" + tc.name)
		l.git(w, "checkout", "--quiet", "-b", "newer")
		l.write(w, "CHANGES.txt", "main moved on\n")
		l.git(w, "add", "-A")
		commitAt(w, day(2), "commit", "--quiet", "-m", "main moves on")
		l.git(w, "checkout", "--quiet", "-b", "pr", "origin/main")
		l.write(w, "advisories/python/PSF-2024-1.yaml", lifecycleCookie+"notes: reviewed\n")
		commitAt(w, day(1), "commit", "--quiet", "-am", "first")
		l.write(w, "advisories/python/PSF-2024-1.yaml", lifecycleCookie+"notes: reviewed twice\n")
		second := commitAt(w, tc.date, "commit", "--quiet", "-am", "second")
		l.git(w, "checkout", "--quiet", "--detach", "newer")
		commitAt(w, day(3), "merge", "--quiet", "--no-ff", "-m", "GitHub's merge", "pr")
		out, errs, code := validate(w)
		switch {
		case !tc.refused && code != 0:
			t.Fatalf("%s: exit %d, want 0\n%s%s", tc.name, code, out, errs)
		case !tc.refused:
			l.contains(tc.name, out, "dry run: the guards pass")
		case code != 1:
			t.Fatalf("%s: exit %d, want 1\n%s%s", tc.name, code, out, errs)
		default:
			l.contains(tc.name, errs, "::error title=advisory lint%3A commit-date::commit "+second+" has committer date "+tc.date+
				", before "+day(1)+", the committer date of its parent ", "git rebase --force-rebase newer")
		}
		if n := strings.Count(errs, "commit-date::"); n != map[bool]int{false: 0, true: 1}[tc.refused] {
			t.Errorf("%s: %d commit-date annotations\n%s", tc.name, n, errs)
		}
	}
}

// at sets the test's clock: the date of every git commit and tag made
// from now on (the pipeline's database commits included).
func (l *lifecycle) at(when string) {
	l.clock = when
	l.t.Setenv("GIT_AUTHOR_DATE", when)
	l.t.Setenv("GIT_COMMITTER_DATE", when)
}

// tagDates: the date an upstream tag carries moves no record's `modified`.
// A release manager tags locally and pushes hours later (a back-dated
// tag), or a tag is dated in the future: either way the refresh publishes
// the new versions with `modified` at the time the refreshed lock landed
// on the database's main, and later refreshes keep publishing.
func (l *lifecycle) tagDates(ci string) {
	l.t.Helper()
	for _, tc := range []struct{ clock, tag, tagged string }{
		{"2025-07-01T00:00:00Z", "v3.11.3", "2024-12-01T00:00:00Z"}, // back-dated: before every database commit
		{"2025-08-01T00:00:00Z", "v3.11.4", "2099-01-01T00:00:00Z"}, // future-dated
		{"2025-09-01T00:00:00Z", "v3.11.5", "2025-09-01T00:00:00Z"}, // an honest one after the future-dated one
	} {
		l.at(tc.clock)
		l.tagRelease("3.11", tc.tag, tc.tagged)
		out, _ := l.publishRun(ci)
		l.contains(tc.tag+" refresh", out, "0 added, 2 updated")
		for _, id := range []string{"PSF-2024-1", "PSF-2024-2"} {
			rec := l.git(l.public, "show", "main:advisories/python/"+id+".json")
			l.contains(tc.tag+" "+id, rec, `"`+tc.tag+`"`, `"modified": "`+tc.clock+`"`)
		}
	}
}

// tagRelease commits a release on branch in the product mirror and tags it
// (annotated), dated when.
func (l *lifecycle) tagRelease(branch, tag, when string) {
	l.t.Helper()
	l.t.Setenv("GIT_COMMITTER_DATE", when)
	defer l.t.Setenv("GIT_COMMITTER_DATE", l.clock)
	tree := l.git(l.product, "rev-parse", branch+"^{tree}")
	c := l.git(l.product, "commit-tree", tree, "-p", branch, "-m", "Python "+tag)
	l.git(l.product, "update-ref", "refs/heads/"+branch, c)
	l.git(l.product, "tag", "-a", tag, "-m", "Python "+tag, c)
}

// consistent: the public repository holds exactly the database's
// advisories under their final IDs, once each, and another run is a no-op.
func (l *lifecycle) consistent() {
	l.t.Helper()
	src := l.git(l.db, "ls-tree", "-r", "--name-only", "main", "advisories/python")
	var want []string
	for _, f := range strings.Fields(src) {
		want = append(want, strings.TrimSuffix(f, ".yaml")+".json")
	}
	if got := strings.Fields(l.published()); strings.Join(got, " ") != strings.Join(want, " ") {
		l.t.Fatalf("public records %v, database sources %v", got, want)
	}
	if regexp.MustCompile(`PSF-0000`).MatchString(src) {
		l.t.Fatalf("placeholder left on the database's main: %s", src)
	}
	l.git(l.public, "fsck", "--strict")
	l.git(l.db, "fsck", "--strict")
	pub := l.git(l.public, "rev-parse", "main")
	out, _ := l.publishRun(l.clone("ci-after"))
	l.contains("run after the race", out, "unchanged: nothing to publish")
	if l.git(l.public, "rev-parse", "main") != pub {
		l.t.Fatal("a run after the race changed the public repository")
	}
}

const lifecycleProducts = `python:
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
// main; backports are discovered (3.10 by trailer, 3.9 by title), 3.11's
// was reverted.
const lifecycleCookie = `id: PSF-2024-1
published: "2024-09-03T12:00:00Z"
title: Quadratic complexity parsing cookies
severity: medium
description: |
  Parsing cookies took quadratic time.
introduced: 8c263dd8e9a4f7b990cd14e06ef532c12bf4b58b
branches:
  - branch: main
    fixed: 600c4f506afa960bbfeb52d1221e285e694ca9da
    pr: 123075
`

const lifecycleNew = `id: PSF-0000-SLUG
aliases: [CVE]
published: "PUBLISHED"
title: Quadratic complexity parsing SLUG
severity: medium
description: |
  Parsing took quadratic time.
introduced: 8c263dd8e9a4f7b990cd14e06ef532c12bf4b58b
branches:
  - branch: main
    fixed: 600c4f506afa960bbfeb52d1221e285e694ca9da
    pr: 123075
MORE
references:
  - type: FIX
    url: https://github.com/python/cpython/pull/123075
`
