// Command advisory validates, resolves, builds and publishes the CPython and
// pip security advisory database. Run `advisory --help` for the commands.
package main

import (
	"os"

	"github.com/psf/advisory-builder/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
