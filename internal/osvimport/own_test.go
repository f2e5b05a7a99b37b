package osvimport

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/product"
)

// extraSource covers what the repository's advisories may not: mitigations
// (split back from details), both CVSS vectors, an extra introducing
// commit and no version data at all ("unknown").
const extraSource = `id: PSF-2025-77
published: "2025-01-02T03:04:05Z"
title: A round-trip advisory
severity: high
cvss_v3: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
cvss: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
cwes: [CWE-20]
description: |
  The description.

  ## A heading of its own
mitigations: |
  Do not do that.
introduced: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
branches:
  - introduced: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
  - fixed: cccccccccccccccccccccccccccccccccccccccc
credits:
  - name: Someone
    type: FINDER
references:
  - type: REPORT
    url: https://github.com/python/cpython/issues/1
`

// TestRoundTripOwnOutput: a lost source tree is recovered from the built
// output. Build a database, import the output into an empty database,
// build again: the two outputs are the same, file for file and byte for
// byte (records, bundle, site). The databases are the repository's own
// (authored release facts, a computed pip resolution) plus a generated one
// of computed resolutions for both products.
func TestRoundTripOwnOutput(t *testing.T) {
	repo := t.TempDir()
	copyTree(t, "../../advisories", filepath.Join(repo, "advisories"))
	writeSource(t, repo, "python", "PSF-2025-77", extraSource)
	generated := filepath.Join(t.TempDir(), "db")
	products, err := os.ReadFile("../../advisories/products.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := bundletest.WriteDatabase(generated, 30, products); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for name, src := range map[string]string{"repository": repo, "generated": generated} {
		t.Run(name, func(t *testing.T) {
			first := buildOut(t, src, now)
			dst := scratchDB(t)
			copyReleaseLists(t, src, dst)
			cfg, err := product.Load(dst)
			if err != nil {
				t.Fatal(err)
			}
			written, err := runLinted(Options{From: first, Root: dst}, cfg)
			if err != nil {
				t.Fatalf("importing the built output: %v", err)
			}
			if len(written) == 0 {
				t.Fatal("nothing imported")
			}
			second := buildOut(t, dst, now)
			sameTree(t, first, second)
		})
	}
}

func writeSource(t *testing.T, root, prod, id, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, "advisories", prod, id+".yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func buildOut(t *testing.T, root string, now time.Time) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	if _, err := build.Run(build.Options{Root: root, Out: out, Now: now}); err != nil {
		t.Fatalf("build %s: %v", root, err)
	}
	return out
}

// copyTree copies the regular files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sameTree fails unless a and b hold the same files with the same bytes.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	files := func(root string) map[string][]byte {
		m := map[string][]byte{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			m[rel], err = os.ReadFile(p)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	fa, fb := files(a), files(b)
	for name, data := range fa {
		if other, ok := fb[name]; !ok {
			t.Errorf("%s is missing after the round trip", name)
		} else if !bytes.Equal(data, other) {
			t.Errorf("%s differs after the round trip:\n--- first\n%.2000s\n--- second\n%.2000s", name, data, other)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s appears after the round trip", name)
		}
	}
	if len(fa) < 10 {
		t.Errorf("only %d files built", len(fa))
	}
}
