package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/ghsa"
)

func init() { register(newGHSACmd) }

// Environment variables of the GitHub advisory step.
const (
	envGHSAToken = "ADVISORY_GHSA_TOKEN"
	envGitHubAPI = "ADVISORY_GITHUB_API_URL"
)

func newGHSACmd() *cobra.Command {
	var root string
	cmd := &cobra.Command{
		Use:   "ghsa ID",
		Short: "Write the GitHub repository security advisory request of a pip advisory",
		Long: `ghsa writes, for an advisory of a product with a PyPI package (pip), the JSON
body of GitHub's REST request that creates or updates a repository security
advisory on the product's repository (pypa/pip): summary, description (with
the references and the credits GitHub cannot take), CVE ID, CWE IDs, the CVSS
vector (else the severity), credits with a GitHub login, and per vulnerable
range the ecosystem pip, the package name, vulnerable_version_range and
patched_versions in GitHub's range syntax, from the record's version data
(lock or release facts). Standard error says which request it belongs to.

This is the route by which a pip advisory reaches pip-audit: osv.dev takes no
package ecosystem from the PSF source, while GitHub's advisory database feeds
osv.dev's PyPI data. ` + "`advisory pipeline publish`" + ` sends it when $` + envGHSAToken + ` is set.

Exit codes: 0 written, 1 the database has errors or the advisory cannot make
a GitHub advisory (not a package product, withdrawn, versions unknown), 2
usage error or unknown ID.`,
		Example: `  advisory ghsa PSF-2023-13
  advisory ghsa CVE-2023-5752 | gh api --method PATCH repos/pypa/pip/security-advisories/GHSA-mq26-g339-26xf --input -`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rec, err := recordByID(cmd, root, args[0])
			if err != nil {
				return err
			}
			if !ghsa.Covered(rec) {
				return failed(fmt.Errorf("%s is a %s advisory: GitHub's advisory database takes packages only (pip); CPython reaches scanners through the OSV records", rec.Vuln.ID, rec.Product.Title))
			}
			d, err := ghsa.Of(rec.Vuln, rec.Product.Repo)
			if err != nil {
				return failed(err)
			}
			data, err := d.JSON()
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%s: the body of %s\n", d.ID, d.Plan(os.Getenv(envGitHubAPI)))
			_, err = cmd.OutOrStdout().Write(data)
			return err
		},
	}
	cmd.Flags().StringVar(&root, "root", ".", "database root (the directory holding advisories/)")
	return cmd
}
