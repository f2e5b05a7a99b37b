package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/ids"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/spf13/cobra"
)

func init() { register(newLintCmd) }

func newLintCmd() *cobra.Command {
	var root, format string
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check advisory sources and report problems with file:line:col",
		Long: `Lint loads the advisory sources strictly (YAML rules, unknown fields, quoting)
and checks them: IDs, aliases, dates, links, commits, severities, credits, CWE
IDs, CVSS vectors, TODO markers, and unique IDs and aliases across the database;
a whole-database lint also checks the ID counter, advisories/ids.txt.

With no PATH it checks the whole database under --root. A PATH may be a file,
a product directory or a database root.

Exit codes: 0 clean (warnings allowed), 1 errors found, 2 usage or I/O error.`,
		Example: `  advisory lint
  advisory lint advisories/python/PSF-2024-9.yaml
  advisory lint --format github`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(diag.Formats, format) {
				return usage("--format must be one of %s", strings.Join(diag.Formats, ", "))
			}
			cfg, err := product.Load(root)
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			if err := checkPaths(args); err != nil {
				return err
			}
			ds := lintPaths(root, args, cfg)
			if err := diag.Write(cmd.OutOrStdout(), format, ds); err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			if ds.HasErrors() {
				return findings()
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "root", ".", "database root (the directory holding advisories/)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, github or json")
	return cmd
}

// lintPaths loads and lints the given paths, or the whole database.
func lintPaths(root string, paths []string, cfg product.Config) diag.List {
	return ids.Lint(root, paths, cfg, time.Now().UTC())
}

// checkPaths refuses a PATH that does not exist or cannot be examined: an
// I/O error (exit 2), not a finding in the database.
func checkPaths(paths []string) error {
	for _, p := range paths {
		if _, err := os.Lstat(p); err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s: cannot read: %w", p, err)}
		}
	}
	return nil
}

func usage(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}
