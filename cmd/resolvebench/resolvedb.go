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
// `advisory resolve --check` from the cache, for each side; their locks must
// be byte-identical.
func benchResolve(sides []side, runs int, work, repo string, h *synth.History, hashes []string) error {
	roots := make([]string, len(sides))
	for k := range sides {
		roots[k] = filepath.Join(work, fmt.Sprintf("db-%d", k))
		if err := writeDB(roots[k], mainFixes(h, hashes, 150)); err != nil {
			return err
		}
	}
	// The sides take turns, as in run.
	cold, warm := make([]series, len(sides)), make([]series, len(sides))
	for range max(runs, 1) {
		for k, sd := range sides {
			cache := filepath.Join(work, fmt.Sprintf("cache-resolve-%d", k))
			os.RemoveAll(cache)
			if err := cold[k].add(timed(sd.bin, cache, "resolve", "--repo", repo, "--root", roots[k], "--product", "python")); err != nil {
				return fmt.Errorf("%s, resolve: %v", sd.name, err)
			}
			if err := warm[k].add(timed(sd.bin, cache, "resolve", "--repo", repo, "--root", roots[k], "--product", "python", "--check")); err != nil {
				return fmt.Errorf("%s, resolve --check: %v", sd.name, err)
			}
		}
	}
	var locks []string
	for k, sd := range sides {
		lock, err := os.ReadFile(filepath.Join(roots[k], "advisories", "python.lock.json"))
		if err != nil {
			return err
		}
		locks = append(locks, string(lock))
		printRow(fmt.Sprintf("resolve, 150 advisories, cold (%s)", sd.name), cold[k].summary())
		printRow(fmt.Sprintf("resolve --check, warm (%s)", sd.name), warm[k].summary())
	}
	for _, l := range locks[1:] {
		if l != locks[0] {
			return fmt.Errorf("the baseline's lock and this build's differ")
		}
	}
	if len(locks) > 1 {
		fmt.Println("locks byte-identical")
	}
	return nil
}
