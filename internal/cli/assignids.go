package cli

import (
	"errors"
	"fmt"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/ids"
	"github.com/spf13/cobra"
)

func init() { register(newAssignIDsCmd) }

func newAssignIDsCmd() *cobra.Command {
	var root string
	cmd := &cobra.Command{
		Use:   "assign-ids",
		Short: "Give placeholder advisories (PSF-0000-<slug>) their final IDs",
		Long: `Assign-ids renames every placeholder source advisories/<product>/PSF-0000-<slug>.yaml
to PSF-<year of published>-<N>.yaml, N being one more than the highest number
ever handed out in that year (withdrawn advisories included; numbers are
never reused), rewrites the id inside the file (nothing else changes), moves
its entry in the resolution lock, and records the numbers in the committed
counter advisories/ids.txt. Placeholders are numbered in order of
publication. Running it again with no placeholder changes nothing.

Two runs on diverging git branches both rewrite the same line of
advisories/ids.txt with different content, so merging them conflicts in git
instead of silently producing one ID twice.

Exit codes: 0 done (or nothing to do), 1 the database has errors (including
duplicate placeholder IDs) or an ID cannot be assigned, 2 usage or I/O error.`,
		Example: `  advisory assign-ids
  advisory assign-ids --root ../advisory-database`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			done, err := ids.Assign(root)
			var le diag.ListError
			if errors.As(err, &le) {
				diag.Write(cmd.ErrOrStderr(), "text", diag.List(le))
				return findings()
			}
			if err != nil {
				return failed(err)
			}
			for _, a := range done {
				fmt.Fprintf(cmd.OutOrStdout(), "%s -> %s (%s)\n", a.From, a.To, a.NewPath)
			}
			if len(done) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no placeholder IDs to assign")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "root", ".", "database root (the directory holding advisories/)")
	return cmd
}
