package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/psf/advisory-builder/internal/gitgraph/synth"
)

const productsYAML = `python:
  title: CPython
  repo: https://github.com/python/cpython
  tag_pattern: '^v[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|c|rc)[0-9]+)?$'
  branches:
    main: feature
`

// mainFixes returns the hashes of the first n main fixes of h.
func mainFixes(h *synth.History, hashes []string, n int) []string {
	var out []string
	for _, f := range h.Fixes[:min(n, len(h.Fixes))] {
		out = append(out, hashes[f.Mark])
	}
	return out
}

// writeDB writes a database of one advisory per fix, each naming only that
// fix on main, so that `advisory resolve` has to discover the backports.
func writeDB(root string, fixes []string) error {
	dir := filepath.Join(root, "advisories", "python")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, "advisories", "products.yaml"), []byte(productsYAML), 0o644); err != nil {
		return err
	}
	for k, fix := range fixes {
		y := fmt.Sprintf(`id: PSF-2025-%d
published: "2025-01-01T00:00:00Z"
title: Synthetic advisory %d
severity: low
description: |
  A generated advisory for the benchmark.
introduced: "0"
branches:
  - branch: main
    fixed: %s
`, k+1, k+1, fix)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("PSF-2025-%d.yaml", k+1)), []byte(y), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// benchResolve times `advisory resolve` with an empty cache, then
// `advisory resolve --check` from the cache.
func benchResolve(bin, work, repo string, h *synth.History, hashes []string) error {
	root := filepath.Join(work, "db")
	if err := writeDB(root, mainFixes(h, hashes, 150)); err != nil {
		return err
	}
	cache := filepath.Join(work, "cache-resolve")
	cold, _, err := timed(bin, cache, "resolve", "--repo", repo, "--root", root, "--product", "python")
	if err != nil {
		return err
	}
	warm, out, err := timed(bin, cache, "resolve", "--repo", repo, "--root", root, "--product", "python", "--check")
	if err != nil {
		return fmt.Errorf("%v\n%s", err, out)
	}
	fmt.Printf("%-44s %9.3f %9.3f %9d\n", "advisory resolve, 150 advisories, cold", cold.wall.Seconds(), cold.cpu.Seconds(), cold.rssKB/1024)
	fmt.Printf("%-44s %9.3f %9.3f %9d\n", "advisory resolve --check, warm", warm.wall.Seconds(), warm.cpu.Seconds(), warm.rssKB/1024)
	return nil
}
