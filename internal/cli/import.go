package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/osvimport"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/product"
)

func init() { register(newImportCmd) }

func newImportCmd() *cobra.Command {
	var opts osvimport.Options
	cmd := &cobra.Command{
		Use:   "import --from DIR",
		Short: "Convert published OSV records into advisory sources",
		Long: `Import reads OSV records, either a published database
(DIR/advisories/<product>/*.json, the psf/advisory-database layout) or a
directory of records (*.json or *.yaml) of --product, and writes one YAML
source per record to --root/advisories/<product>/<ID>.yaml. This project's
own built output imports back into the sources it was built from (notes
aside), computed resolutions into the product's lock: build, import, build
gives the same output.

Records of a package product (pip's PYSEC records: PyPI package, ECOSYSTEM
and GIT ranges, CVSS_V3) keep their ECOSYSTEM bounds as release facts, their
GIT events as commits and their CVSS vector; another database's ID becomes an
alias of a placeholder PSF-0000-<id>. What the format cannot hold goes to the
notes; a record whose aliases the database already holds is refused.

Every record is read (regular files of at most 1 MiB only: links, FIFOs and
devices are refused unopened), converted, loaded back and linted, and its ID
and aliases are checked unique against the database and the other records,
before anything is written. The sound records are imported; a record that
cannot be represented, whose source would not pass lint (an imported
placeholder may lack the PSRT severity, which its notes ask for), or that
lists an alias an older record already lists (two records sharing a CVE:
the newer one is refused, with the records it shares with and how to resolve
it) is not, and every such problem is reported at once, one line each on
stderr naming the record file (exit 1). A record whose ID is already in the
database is a problem too, unless --skip-existing (reported, not imported,
exit 0) or --force (overwritten).
The README lists the normalizations (derived titles, severity, branches).`,
		Example: `  advisory import --from ../advisory-database
  advisory import --from pysec/ --product pip
  advisory import --from ../advisory-database --skip-existing`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.From == "" {
				return usage("--from is required")
			}
			cfg, err := product.Load(opts.Root)
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			if cfg[opts.Product] == nil {
				return usage("--product %q is not configured", opts.Product)
			}
			lintOpts := lint.Options{Now: time.Now().UTC(), Products: cfg}
			opts.Check = func(a *advisory.Advisory) diag.List { return lint.Advisory(a, lintOpts) }
			res, err := osvimport.Migrate(opts, cfg)
			if res == nil {
				return failed(err)
			}
			return importReport(cmd, res, err)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "directory of OSV records (required)")
	cmd.Flags().StringVar(&opts.Root, "root", ".", "database root to write sources under")
	cmd.Flags().StringVar(&opts.Product, "product", "python", "product of records found directly in --from")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite existing sources")
	cmd.Flags().BoolVar(&opts.SkipExisting, "skip-existing", false, "leave records whose ID the database already holds (reported) and import the rest")
	cmd.MarkFlagsMutuallyExclusive("force", "skip-existing")
	return cmd
}

// importReport prints what an import did: skipped records and problems on
// stderr, one line each, and the counts on stdout. Problems exit 1 (2 for
// an I/O error).
func importReport(cmd *cobra.Command, res *osvimport.Result, err error) error {
	for _, s := range res.Skipped {
		fmt.Fprintln(cmd.ErrOrStderr(), "advisory:", diag.Escape(s))
	}
	var problems []error
	if many, ok := err.(interface{ Unwrap() []error }); ok {
		problems = many.Unwrap()
	} else if err != nil {
		problems = []error{err}
	}
	for _, e := range problems {
		fmt.Fprintln(cmd.ErrOrStderr(), "advisory:", diag.Escape(e.Error()))
	}
	line := "imported " + plaintext.Count(len(res.Written), "record", "records")
	if len(res.Skipped) > 0 {
		line += fmt.Sprintf(", skipped %d already in the database", len(res.Skipped))
	}
	if len(problems) > 0 {
		line += ", refused " + plaintext.Count(len(problems), "record (above)", "records (above)")
	}
	fmt.Fprintln(cmd.OutOrStdout(), line)
	switch {
	case len(problems) > 0 && isIO(err):
		return &ExitError{Code: ExitUsage}
	case len(problems) > 0:
		return &ExitError{Code: ExitFindings}
	}
	return nil
}
