package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/startup"
	"github.com/spf13/cobra"
)

func init() { register(newBuildCmd) }

func newBuildCmd() *cobra.Command {
	var opts build.Options
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build OSV records, the osv.dev bundle and the site, offline",
		Long: `Build reads every advisory under --root/advisories, lints it, takes the
affected versions from the committed resolution locks (advisories/<product>.lock.json),
and writes into --out:

  advisories/<product>/<ID>.json   one OSV 1.7.5 record per advisory
  <ECOSYSTEM>/all.zip, modified_id.csv, all.zip, ecosystems.txt, ...  the osv.dev bundle
  index.html, advisory/<ID>.html, feed.xml, ...                       the site
  .advisory-output                                                    marks the directory as a build output
  SHA256SUMS                                                          every file's digest

It needs no network and no product repository. The output is deterministic:
the same sources give the same bytes. Nothing is written when any source has
an error; the output directory is replaced whole, never half-written and never
missing. Only an empty directory or an earlier build's output (it holds
.advisory-output) is replaced; the database root, a git repository and a
symbolic link are refused.`,
		Example: `  advisory build
  advisory build --out /tmp/public`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Now = time.Now().UTC()
			opts.Log = cmd.ErrOrStderr()
			opts.Progress = logProgress(cmd.ErrOrStderr())
			// The heap grows to about the limit at 100,000 advisories:
			// readied at once, it is faulted in as huge pages where the
			// kernel allows (docs/benchmarks.md, "Issue 22, round 6").
			startup.HeapAhead(limitMemory(buildMemoryLimit))
			res, err := build.Run(opts)
			var le diag.ListError
			if errors.As(err, &le) {
				diag.Write(cmd.ErrOrStderr(), "text", diag.List(le))
				return findings()
			}
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "built %s into %s\n", plaintext.Count(res.Count, "record", "records"), opts.Out)
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.Root, "root", ".", "database root (the directory holding advisories/)")
	cmd.Flags().StringVar(&opts.Out, "out", "public", "output directory (replaced whole)")
	cmd.Flags().StringVar(&opts.SiteBase, "site-url", "", "absolute URL the site is served from, for feed links (default: the public site)")
	return cmd
}
