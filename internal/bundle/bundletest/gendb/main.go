// Command gendb writes a generated advisory database for measuring
// `advisory build`: N YAML advisories (two CPython for each pip one) with
// unique IDs and aliases, the products config, and resolution locks listing
// affected tags, so the build converts, bundles and renders N full records.
// With -history it is a git repository of that many commits, of which
// -lockversions change the locks (bundletest.History), so the build's
// `modified` walk has a history to read. Its objects are as `git
// fast-import` packs them, whose deltas of large files are poor (a lock
// may be stored as deltas of the other product's lock); -repack then runs
// `git repack -adf`, which gives the pack the shape git's own maintenance
// and a hosting server give it, and so the shape of a clone.
//
//	go run ./internal/bundle/bundletest/gendb -n 10000 -products advisories/products.yaml -out /tmp/db10k
//	go run ./internal/bundle/bundletest/gendb -n 10000 -history 30 -lockversions 20 -repack -out /tmp/db10k-h
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
)

func main() {
	n := flag.Int("n", 1000, "number of advisories")
	out := flag.String("out", "", "database root to create (must not exist)")
	products := flag.String("products", "advisories/products.yaml", "products config to copy")
	commits := flag.Int("history", 0, "make the database a git repository of this many commits (0: no repository)")
	lockVersions := flag.Int("lockversions", 1, "with -history: how many of the commits change the locks")
	repack := flag.Bool("repack", false, "with -history: repack the repository (git repack -adf) as git's maintenance would")
	flag.Parse()
	if *repack && *commits == 0 {
		fmt.Fprintln(os.Stderr, "gendb: -repack needs -history: without it the database is no repository")
		os.Exit(2)
	}
	err := run(*n, *out, *products, *commits, *lockVersions)
	if err == nil && *repack {
		err = repackRepo(*out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendb:", err)
		os.Exit(2)
	}
}

func run(n int, out, products string, commits, lockVersions int) error {
	cfg, err := os.ReadFile(products)
	if err != nil {
		return err
	}
	if commits == 0 {
		return bundletest.WriteDatabase(out, n, cfg)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return bundletest.WriteHistory(out, n, cfg, bundletest.History{Commits: commits, LockVersions: lockVersions, Start: start})
}

// repackRepo rewrites the repository's objects into one pack with deltas
// git chooses, as `git gc` would.
func repackRepo(dir string) error {
	if out, err := exec.Command("git", "-C", dir, "repack", "-adf", "-q").CombinedOutput(); err != nil {
		return fmt.Errorf("git repack in %s: %v\n%s", dir, err, out)
	}
	return nil
}
