package resolve

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/release"
)

const productsYAML = `python:
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

// productAdvisory is fixed on main by gittest's m7; FACTS is replaced by
// release facts (or nothing).
const productAdvisory = `id: PSF-2024-1
published: "2024-09-03T12:00:00Z"
title: Quadratic complexity parsing cookies
severity: medium
description: |
  Parsing took quadratic time.
introduced: 8c263dd8e9a4f7b990cd14e06ef532c12bf4b58b
branches:
  - branch: main
    fixed: 600c4f506afa960bbfeb52d1221e285e694ca9da
FACTS`

// productDB writes a database with one advisory (facts added to its
// branches) beside a CPython-shaped repository and returns both.
func productDB(t *testing.T, facts string) (root, repo string) {
	t.Helper()
	t.Setenv("ADVISORY_CACHE_DIR", t.TempDir())
	root, repo = t.TempDir(), filepath.Join(t.TempDir(), "cpython.git")
	gittest.CPython(t, repo, true)
	write := func(name, content string) {
		p := filepath.Join(root, "advisories", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("products.yaml", productsYAML)
	write("python/PSF-2024-1.yaml", strings.Replace(productAdvisory, "FACTS", facts, 1))
	return root, repo
}

// TestProduct: the outcome holds the fresh lock, the release list and a
// clean cross-check; nothing is written until Write.
func TestProduct(t *testing.T) {
	root, repo := productDB(t, "")
	out, err := Product(context.Background(), Options{Root: root, Repo: repo, Product: "python"})
	if err != nil {
		t.Fatalf("Product: %v (%v)", err, out.Diags)
	}
	e := out.Lock.Advisories["PSF-2024-1"]
	if e == nil || len(e.Versions) == 0 || out.Entries["PSF-2024-1"] != e || len(out.Old.Advisories) != 0 {
		t.Fatalf("lock %+v, entries %+v, old %+v", out.Lock, out.Entries, out.Old)
	}
	if len(out.Diags) != 0 || out.Releases == nil {
		t.Errorf("diagnostics %v, releases %v", out.Diags, out.Releases)
	}
	if _, err := os.Stat(lock.Path(root, "python")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Product wrote the lock: %v", err)
	}
	if err := out.Write(root); err != nil {
		t.Fatal(err)
	}
	l, err := lock.Read(root, "python")
	if err != nil || len(l.Advisories) != 1 {
		t.Fatalf("lock written: %+v, %v", l, err)
	}
	if _, err := os.Stat(release.Path(root, "python")); err != nil {
		t.Errorf("release list not written: %v", err)
	}
}

// TestProductFindings: facts that disagree with git are an error
// diagnostic at the advisory's file (after the hint to add the fix commit
// the resolver found), in Findings of its ID, with ErrFindings and nothing
// to write.
func TestProductFindings(t *testing.T) {
	root, repo := productDB(t, "  - branch: \"3.10\"\n    first_affected: \"3.10.0a1\"\n    fixed_in: \"3.10.1\"\n")
	out, err := Product(context.Background(), Options{Root: root, Repo: repo})
	if !errors.Is(err, ErrFindings) || out == nil {
		t.Fatalf("Product = %v, want ErrFindings", err)
	}
	fs := out.Findings("PSF-2024-1")
	if len(fs) != 2 || !strings.HasSuffix(fs[1].File, "PSF-2024-1.yaml") || fs[1].Rule != "crosscheck" || fs[1].Severity != "error" ||
		!strings.Contains(fs[1].Message, "fixed_in says 3.10.1, but v3.10.1 is affected") {
		t.Fatalf("findings %v", fs)
	}
	if out.Cross.Checked == 0 || out.Lock != nil || len(out.Findings("PSF-2024-2")) != 0 {
		t.Errorf("cross-check %+v, lock %v", out.Cross, out.Lock)
	}
}

// TestProductUsage: a product or advisory the database lacks is a
// *UsageError naming it.
func TestProductUsage(t *testing.T) {
	root, repo := productDB(t, "")
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{Root: root, Repo: repo, Product: "ruby"}, `--product "ruby": no such product (have python)`},
		{Options{Root: root, Repo: repo, IDs: []string{"PSF-2099-1"}}, "PSF-2099-1: no such advisory in product python"},
	} {
		_, err := Product(context.Background(), tc.o)
		var ue *UsageError
		if !errors.As(err, &ue) || ue.Msg != tc.want {
			t.Errorf("Product(%+v) = %v, want %q", tc.o, err, tc.want)
		}
	}
}
