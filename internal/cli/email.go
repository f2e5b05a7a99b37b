package cli

import (
	"fmt"

	"github.com/psf/advisory-builder/internal/announce"
	"github.com/spf13/cobra"
)

func init() { register(newEmailCmd) }

func newEmailCmd() *cobra.Command {
	var root string
	cmd := &cobra.Command{
		Use:   "email ID",
		Short: "Write the security-announce e-mail of an advisory",
		Long: `Email writes the announcement of one advisory (by PSF ID or CVE alias) for
` + announce.To + `, following the PSRT template: a To and a Subject
header ("[CVE-YYYY-NNNN] <title>"), a blank line, then the body: the severity
sentence ("There is a HIGH severity vulnerability affecting CPython."), the
description (Markdown as plain text), affected components, mitigations, the
affected and fixed versions of each branch from the committed resolution (or,
without one, the authored release facts; standard error says which), and
links to the CVE record and the fix pull requests. Plain text wrapped at 72
columns; the same input gives the same bytes.

Exit codes: 0 written, 1 the database has errors or the advisory cannot be
announced (no CVE alias, no version data, withdrawn), 2 usage error or unknown ID.`,
		Example: `  advisory email PSF-2024-11
  advisory email CVE-2024-6232 > announce.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rec, err := recordByID(cmd, root, args[0])
			if err != nil {
				return err
			}
			text, err := announce.Email(rec)
			if err != nil {
				return failed(err)
			}
			fmt.Fprint(cmd.OutOrStdout(), text)
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "root", ".", "database root (the directory holding advisories/)")
	return cmd
}
