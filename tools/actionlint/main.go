// Command actionlint lints GitHub Actions workflow files with
// github.com/rhysd/actionlint (and shellcheck when it is installed),
// printing one finding per line; it exits 1 on any finding and 2 on errors.
package main

import (
	"fmt"
	"os"
	"os/exec"

	"github.com/rhysd/actionlint"
)

func main() {
	opts := &actionlint.LinterOptions{Oneline: true}
	if p, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = p
	}
	l, err := actionlint.NewLinter(os.Stdout, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	errs, err := l.LintFiles(os.Args[1:], nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if len(errs) > 0 {
		os.Exit(1)
	}
}
