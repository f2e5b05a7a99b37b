package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/spf13/cobra"
)

func init() { register(newCVECmd) }

func newCVECmd() *cobra.Command {
	var root, out string
	cmd := &cobra.Command{
		Use:   "cve ID",
		Short: "Write the CVE JSON 5 record of an advisory",
		Long: `Cve writes the CVE JSON 5 record of one advisory (by PSF ID or CVE alias) for
the PSF CNA: vendor "Python Software Foundation", product CPython or pip, the
affected versions as per-branch ranges from the committed resolution, or,
without one, from the advisory's authored release facts (lessThan the
fixed-in release, lessThanOrEqual the last affected release; standard error
says which source was used), the description opened with the severity sentence, CWE
problem types with their names, references tagged patch, issue-tracking,
vendor-advisory and their own tags (mitigation, ...), the CVSS 4.0 and 3.x
metrics with base scores computed by the CVSS library, and credits. A withdrawn
advisory gives a REJECTED record.

Exit codes: 0 written, 1 the database has errors or the advisory cannot make
a record (no CVE alias, no version data: neither a resolution nor release
facts), 2 usage error or unknown ID.`,
		Example: `  advisory cve PSF-2024-11
  advisory cve CVE-2024-6232 --out CVE-2024-6232.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rec, err := recordByID(cmd, root, args[0])
			if err != nil {
				return err
			}
			r, err := cverecord.FromRecord(rec)
			var le *cverecord.LimitError
			if errors.As(err, &le) {
				return limitsFailed(cmd, le)
			}
			if err != nil {
				return failed(err)
			}
			data, err := cverecord.Marshal(r)
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			if out == "" || out == "-" {
				_, err = cmd.OutOrStdout().Write(data)
			} else {
				err = os.WriteFile(out, data, 0o644)
			}
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "root", ".", "database root (the directory holding advisories/)")
	cmd.Flags().StringVar(&out, "out", "", "write the record to this file (default: standard output)")
	return cmd
}

// recordByID builds the database's records (sources, lint, locks) and
// returns the one with the given PSF ID or alias.
func recordByID(cmd *cobra.Command, root, id string) (*osv.Record, error) {
	recs, _, err := build.Records(root, time.Now().UTC())
	var le diag.ListError
	if errors.As(err, &le) {
		diag.Write(cmd.ErrOrStderr(), "text", diag.List(le))
		return nil, &ExitError{Code: ExitFindings, Err: fmt.Errorf("the database has errors; fix them first")}
	}
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	for _, r := range recs {
		if r.Advisory.ID == id || slices.Contains(r.Advisory.Aliases, id) {
			sayVersionSource(cmd.ErrOrStderr(), r)
			return r, nil
		}
	}
	return nil, usage("no advisory has the ID or alias %q under %s/advisories", id, root)
}

// sayVersionSource tells, on standard error, where the affected versions of
// a record come from.
func sayVersionSource(w io.Writer, r *osv.Record) {
	lk := lock.Path("", r.Advisory.Product)
	switch r.Summary.Source {
	case verdict.Computed:
		fmt.Fprintf(w, "advisory: %s: affected versions computed from the release tags (%s)\n", r.Advisory.ID, lk)
	case verdict.Authored:
		fmt.Fprintf(w, "advisory: %s: affected versions from the advisory's authored release facts (no current resolution in %s)\n", r.Advisory.ID, lk)
	}
}

// limitsFailed prints each value that would break the CVE schema at its
// place in the source (the built record no longer holds positions).
func limitsFailed(cmd *cobra.Command, le *cverecord.LimitError) error {
	a, _ := advisory.LoadFile(le.Advisory.Path, le.Advisory.Product)
	var pos advisory.Positions
	if a != nil {
		pos = a.Pos
	}
	diag.Write(cmd.ErrOrStderr(), "text", le.Diagnostics(pos))
	return &ExitError{Code: ExitFindings, Err: fmt.Errorf("%s: the CVE record would break the CVE JSON 5 schema; nothing written", le.Advisory.ID)}
}
