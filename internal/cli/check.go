package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/check"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/spf13/cobra"
)

func init() { register(newCheckCmd) }

type checkOpts struct {
	root, dir, product string
	json               bool
}

func newCheckCmd() *cobra.Command {
	var o checkOpts
	cmd := &cobra.Command{
		Use:   "check VERSION",
		Short: "List the advisories affecting a CPython or pip version (a CI gate)",
		Long: `Check lists the advisories whose computed affected versions include VERSION,
with the release of its branch that fixes each. VERSION is a release
("3.12.4", "v3.12.4", "3.13.0rc1"), the output of python -VV
("Python 3.12.4 (main, Jun  6 2024, 18:26:44) [GCC 12.2.0]") or of
pip --version ("pip 23.3 from ... (python 3.12)"; the product is then pip).

The data comes from the sources and resolution locks under --root, or from
the records of a built output directory (--dir). Withdrawn advisories never
match. A release newer than the locks' tags counts as affected while its
branch is unfixed or it precedes the branch's fixed-in release.

Exit codes: 0 no advisory affects VERSION, 1 some do (so it gates CI),
2 usage error or unknown version format.`,
		Example: `  advisory check 3.12.4
  advisory check "$(python -VV)" --json
  advisory check "$(pip --version)" --dir public`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.root, "root", ".", "database root (the directory holding advisories/)")
	cmd.Flags().StringVar(&o.dir, "dir", "", "read the records of a built output directory instead of --root")
	cmd.Flags().StringVar(&o.product, "product", "", "product: python or pip (default: from VERSION, else python)")
	cmd.Flags().BoolVar(&o.json, "json", false, "write JSON: {product, version, affected: [...]}")
	return cmd
}

func runCheck(cmd *cobra.Command, o checkOpts, in string) error {
	if o.product != "" && o.product != "python" && o.product != "pip" {
		return usage("--product must be python or pip")
	}
	q, err := check.ParseInput(in, o.product)
	if err != nil {
		return usage("%v", err)
	}
	entries, err := checkEntries(cmd, o)
	if err != nil {
		return err
	}
	found := check.Check(entries, q)
	unresolved := check.Unresolved(entries, q.Product)
	if len(unresolved) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "advisory: warning: %d %s advisories have no resolution and were not checked (run `advisory resolve`): %s\n",
			len(unresolved), q.Product, strings.Join(unresolved, ", "))
	}
	title := q.Product
	if cfg, err := product.Load(o.root); err == nil && cfg[q.Product] != nil {
		title = cfg[q.Product].Title
	}
	if o.json {
		err = writeCheckJSON(cmd.OutOrStdout(), q, found, unresolved)
	} else {
		err = writeCheckText(cmd.OutOrStdout(), title, q, found)
	}
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if len(found) > 0 {
		return findings()
	}
	return nil
}

func checkEntries(cmd *cobra.Command, o checkOpts) ([]check.Entry, error) {
	if o.dir != "" {
		es, err := check.FromDir(o.dir)
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
		return es, nil
	}
	recs, _, err := build.Records(o.root, time.Now().UTC())
	var le diag.ListError
	if errors.As(err, &le) {
		diag.Write(cmd.ErrOrStderr(), "text", diag.List(le))
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("the database has errors; fix them or use --dir with a built output")}
	}
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	return check.FromRecords(recs), nil
}

func writeCheckJSON(w io.Writer, q check.Query, found []check.Finding, unresolved []string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Product    string          `json:"product"`
		Version    string          `json:"version"`
		Affected   []check.Finding `json:"affected"`
		Unresolved []string        `json:"unresolved,omitempty"`
	}{q.Product, q.Version.String(), found, unresolved})
}

func writeCheckText(w io.Writer, title string, q check.Query, found []check.Finding) error {
	if len(found) == 0 {
		_, err := fmt.Fprintf(w, "%s %s: no known advisory affects this version\n", title, q.Version)
		return err
	}
	fmt.Fprintf(w, "%s %s is affected by %d advisor%s:\n", title, q.Version, len(found), map[bool]string{true: "y", false: "ies"}[len(found) == 1])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range found {
		fix := "fixed in " + f.FixedIn
		if f.FixedIn == "" {
			fix = "no fixed release"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.ID, strings.Join(f.Aliases, ","), orDash(f.Severity), fix, f.Title)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
