package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/osvimport"
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
devices are refused unopened), converted, loaded back and linted, and IDs are
checked unique, first; nothing is written when any record cannot be
represented or its source would not pass lint (an imported placeholder may
lack the PSRT severity, which its notes ask for). Each problem is one line on
stderr naming the file. Existing sources are kept unless --force.
The README lists the normalizations (derived titles, severity, branches).`,
		Example: `  advisory import --from ../advisory-database
  advisory import --from pysec/ --product pip`,
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
			written, err := osvimport.Run(opts, cfg)
			if many, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range many.Unwrap() { // one line per problem
					fmt.Fprintln(cmd.ErrOrStderr(), "advisory:", diag.Escape(e.Error()))
				}
				code := ExitFindings
				if isIO(err) {
					code = ExitUsage
				}
				return &ExitError{Code: code}
			}
			if err != nil {
				return failed(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "imported %d records\n", len(written))
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "directory of OSV records (required)")
	cmd.Flags().StringVar(&opts.Root, "root", ".", "database root to write sources under")
	cmd.Flags().StringVar(&opts.Product, "product", "python", "product of records found directly in --from")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite existing sources")
	return cmd
}
