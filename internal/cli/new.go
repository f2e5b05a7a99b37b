package cli

import (
	"fmt"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/scaffold"
	"github.com/spf13/cobra"
)

func init() { register(newNewCmd) }

func newNewCmd() *cobra.Command {
	var opts scaffold.Options
	cmd := &cobra.Command{
		Use:   "new --product P [--cve-record FILE] [--slug S]",
		Short: "Scaffold an advisory source with a placeholder ID, optionally from a CVE record",
		Long: `New writes advisories/<product>/PSF-0000-<slug>.yaml: a placeholder ID that
assign-ids replaces on merge, and TODO markers that lint refuses until they
are filled.

With --cve-record, the CVE JSON 5 record fills everything it holds: title,
description, severity (from "There is a HIGH severity vulnerability ..." or the
CVSS base severity), CVSS 4.0 and 3.x vectors, CWE IDs and names, affected
modules, credits, publication date, the CVE alias, and references by tag:
patch commits of the product's repository become fixes (on a branch when the
reference name has a "[3.12]" hint, else unplaced for the resolver),
issue-tracking REPORT, vendor-advisory ADVISORY, other links WEB, other tags
(mitigation, ...) kept on the reference. What the format cannot hold goes to
the notes and is printed as a warning. The slug defaults to the CVE ID.

Exit codes: 0 written, 1 refused (file or ID or CVE already in the database,
malformed record), 2 usage error.`,
		Example: `  advisory new --product python --slug tarfile-redos
  advisory new --product python --cve-record CVE-2024-6232.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Product == "" {
				return usage("--product is required (python or pip)")
			}
			if opts.Record == "" && opts.Slug == "" {
				return usage("--slug is required without --cve-record: a few lowercase words joined by dashes, like tarfile-redos")
			}
			if err := scaffold.CheckSlug(opts.Slug); err != nil {
				return usage("%v", err)
			}
			res, err := scaffold.New(opts)
			if err != nil {
				return failed(err)
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), "advisory: warning:", diag.Escape(w))
			}
			fmt.Fprintln(cmd.OutOrStdout(), res.Path)
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.Root, "root", ".", "database root (the directory holding advisories/)")
	cmd.Flags().StringVar(&opts.Product, "product", "", "product: python or pip (required)")
	cmd.Flags().StringVar(&opts.Record, "cve-record", "", "CVE JSON 5 record to import")
	cmd.Flags().StringVar(&opts.Slug, "slug", "", "placeholder slug (default: the CVE ID, lowercase)")
	return cmd
}
