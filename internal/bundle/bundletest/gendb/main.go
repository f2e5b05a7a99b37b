// Command gendb writes a generated advisory database for measuring
// `advisory build`: N YAML advisories (two CPython for each pip one) with
// unique IDs and aliases, the products config, and resolution locks listing
// affected tags, so the build converts, bundles and renders N full records.
//
//	go run ./internal/bundle/bundletest/gendb -n 10000 -products advisories/products.yaml -out /tmp/db10k
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
)

func main() {
	n := flag.Int("n", 1000, "number of advisories")
	out := flag.String("out", "", "database root to create (must not exist)")
	products := flag.String("products", "advisories/products.yaml", "products config to copy")
	flag.Parse()
	if err := run(*n, *out, *products); err != nil {
		fmt.Fprintln(os.Stderr, "gendb:", err)
		os.Exit(2)
	}
}

func run(n int, out, products string) error {
	cfg, err := os.ReadFile(products)
	if err != nil {
		return err
	}
	return bundletest.WriteDatabase(out, n, cfg)
}
