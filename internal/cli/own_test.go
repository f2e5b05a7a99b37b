package cli

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/check"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
	"github.com/psf/advisory-builder/internal/verdict"
)

// TestOwnAdvisoriesExport: `advisory email` and `advisory cve` succeed for
// every advisory of the repository (with a CVE alias, not withdrawn), with
// or without a resolution, and say where the versions come from.
func TestOwnAdvisoriesExport(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "advisories", "*", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("the repository has no advisories")
	}
	for _, f := range files {
		id := strings.TrimSuffix(filepath.Base(f), ".yaml")
		for _, cmd := range []string{"cve", "email"} {
			var out, errb bytes.Buffer
			if code := Main([]string{cmd, id, "--root", root}, &out, &errb); code != 0 {
				t.Errorf("advisory %s %s: exit %d\n%s", cmd, id, code, errb.String())
				continue
			}
			if !strings.Contains(errb.String(), "affected versions") || out.Len() == 0 {
				t.Errorf("advisory %s %s: no output or no source said:\n%s", cmd, id, errb.String())
			}
		}
	}
}

// TestOwnDatabaseAnswers holds the repository's own database to its
// evidence: lint is clean with no warning; every advisory not resolved
// states facts for every branch a fix commit needs; and every CPython
// release from 3.8.0 to the newest known one gets an answer (affected or
// not) from every advisory, never "cannot tell".
func TestOwnDatabaseAnswers(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Main([]string{"lint", "--root", root}, &out, &errb); code != 0 || out.Len() != 0 {
		t.Errorf("advisory lint: exit %d, want 0 and no diagnostic:\n%s%s", code, out.String(), errb.String())
	}
	recs, _, err := build.Records(root, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Summary.Source == verdict.Authored && !r.Advisory.Account().Speaks(cfg[r.Advisory.Product]) {
			t.Errorf("%s: its facts do not account for its fix commits", r.Advisory.ID)
		}
	}
	list, err := release.Read(root, cfg["python"])
	if err != nil || list == nil {
		t.Fatalf("python release list: %v", err)
	}
	entries := check.FromRecords(recs)
	judged := 0
	for _, tag := range list.Names() {
		if c, _ := cfg["python"].CompareReleases(tag, "3.8.0"); c < 0 {
			continue
		}
		q, err := check.ParseInput(tag, "python", cfg)
		if err != nil {
			t.Fatal(err)
		}
		res := check.Check(entries, q, cfg["python"])
		for _, u := range res.Unknown {
			t.Errorf("check %s: cannot tell for %s", tag, u.ID)
		}
		if res.Reason != "" {
			t.Errorf("check %s: %s", tag, res.Reason)
		}
		judged++
	}
	if judged < 200 {
		t.Errorf("judged %d CPython releases from 3.8.0 on, want every known one", judged)
	}
}

// TestOwnFactsBoundaries: for every advisory answering from its release
// facts, `check` on the release that ships each branch's fix is not
// affected by it, and on the known release just before it (on the same
// branch, from the first affected one on) it is: the answers follow the
// changelog-proven rows exactly at their edges.
func TestOwnFactsBoundaries(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	recs, _, err := build.Records(root, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	entries := check.FromRecords(recs)
	edges := 0
	for _, r := range recs {
		p := cfg[r.Advisory.Product]
		list, err := release.Read(root, p)
		if err != nil || list == nil || r.Summary.Source != verdict.Authored || r.Advisory.Withdrawn != "" {
			continue
		}
		for _, row := range r.Summary.Branches {
			if row.FixedIn == "" {
				continue
			}
			fixed, ok := list.Lookup(row.FixedIn)
			if !ok {
				t.Errorf("%s: branch %s is fixed in %s, which is not a known release", r.Advisory.ID, row.Branch, row.FixedIn)
				continue
			}
			before := previousOnBranch(list, p, fixed)
			for v, want := range map[string]bool{fixed: false, before: true} {
				if v == "" || (want && row.FirstAffected != "0" && less(p, v, row.FirstAffected)) {
					continue
				}
				q, err := check.ParseInput(v, r.Advisory.Product, cfg)
				if err != nil {
					t.Fatal(err)
				}
				res := check.Check(entries, q, p)
				got := slices.ContainsFunc(res.Affected, func(f check.Finding) bool { return f.ID == r.Advisory.ID })
				if got != want {
					t.Errorf("%s, branch %s fixed in %s: check %s says affected=%v, want %v", r.Advisory.ID, row.Branch, row.FixedIn, v, got, want)
				}
				edges++
			}
		}
	}
	if edges < 200 {
		t.Errorf("checked %d edges, want the edges of every stated fix", edges)
	}
}

// previousOnBranch is the known release just before tag on tag's branch,
// or "".
func previousOnBranch(l *release.List, p *product.Product, tag string) string {
	b, _ := p.ReleaseBranch(tag)
	prev := ""
	for _, t := range l.Names() {
		if t == tag {
			return prev
		}
		if tb, err := p.ReleaseBranch(t); err == nil && tb == b {
			prev = t
		}
	}
	return ""
}

func less(p *product.Product, a, b string) bool {
	c, err := p.CompareReleases(a, b)
	return err == nil && c < 0
}
