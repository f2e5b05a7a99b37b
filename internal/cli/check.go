package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/check"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
	"github.com/psf/advisory-builder/internal/verdict"
)

func init() { register(newCheckCmd) }

type checkOpts struct {
	root, dir, product, platform string
	json                         bool
}

func newCheckCmd() *cobra.Command {
	var o checkOpts
	cmd := &cobra.Command{
		Use:   "check VERSION",
		Short: "List the advisories affecting a release of a product (a CI gate)",
		Long: `Check judges VERSION against every advisory of its product and lists the ones
that affect it, with the release of its branch that fixes each. VERSION is a
release ("3.12.4", "v3.12.4", "3.13.0rc1"), the output of python -VV
("Python 3.12.4 (main, Jun  6 2024, 18:26:44) [GCC 12.2.0]") or of
pip --version ("pip 23.3 from ... (python 3.12)"; the product is then pip).
--product names any product of advisories/products.yaml.

Each advisory is judged from its version data, and the answer says which:
"computed from the release tags" (the resolution lock) or "as stated in the
advisory" (its authored release facts, when there is no resolution). A
package product (pip) is judged by its records' ECOSYSTEM ranges in PEP 440
order, as OSV scanners judge it, so releases without a git tag count too.
An advisory with neither kind of data cannot be judged: check names it and
never reports "not affected" while one exists.

An advisory limited to some platforms (its platforms field) is marked
"[Windows only]"; --platform NAME leaves out the advisories limited to other
platforms. A version of an end-of-life branch (products.yaml) is told that
no fix will come to it, and each advisory its branch does not fix names the
nearest release of a maintained branch that does.

The data comes from the sources and resolution locks under --root, or from
the records of a built output directory (--dir). Withdrawn advisories never
match.

Exit codes: 0 no advisory affects VERSION (and every advisory was judged),
1 some advisory affects it (advisories that cannot be judged are still
named), 2 usage error or unknown version format, 3 cannot tell: none of the
judged advisories affects VERSION, but some have no version data for it, or
VERSION is the python -VV of another implementation (PyPy, GraalPy, ...),
which CPython's advisories cannot judge.`,
		Example: `  advisory check 3.12.4
  advisory check "$(python -VV)" --json
  advisory check "$(pip --version)" --dir public
  advisory check 3.12.3 --platform linux`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.root, "root", ".", "database root (the directory holding advisories/)")
	cmd.Flags().StringVar(&o.dir, "dir", "", "read the records of a built output directory instead of --root")
	cmd.Flags().StringVar(&o.product, "product", "", "product of advisories/products.yaml (default: from VERSION, else the one product that is no package, CPython)")
	cmd.Flags().StringVar(&o.platform, "platform", "", "leave out the advisories limited to other platforms (windows, macos, linux, unix, android, ios, wasi, emscripten)")
	cmd.Flags().BoolVar(&o.json, "json", false, "write JSON: {product, version, outcome, affected: [...], unknown: [...]}")
	return cmd
}

func runCheck(cmd *cobra.Command, o checkOpts, in string) error {
	var entries []check.Entry
	if o.dir != "" { // an empty directory says so before any product question
		es, err := check.FromDir(o.dir)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		entries = es
	}
	cfg, err := checkProducts(o)
	if err != nil {
		return err
	}
	q, err := check.ParseInput(in, o.product, cfg)
	var other *check.OtherImplementationError
	switch {
	case errors.As(err, &other):
		return &ExitError{Code: ExitCannotTell, Err: err}
	case err != nil:
		return usage("%v", err)
	}
	if o.platform != "" && !advisory.IsPlatform(o.platform) {
		return usage("--platform %q is not one of %s", o.platform, strings.Join(advisory.Platforms, ", "))
	}
	q.Platform = o.platform
	if o.dir == "" {
		if entries, err = checkEntries(cmd, o); err != nil {
			return err
		}
	}
	p := cfg[q.Product]
	lists, err := release.ReadAll(o.root, cfg)
	if err != nil && o.dir == "" {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if why := check.UnknownRelease(q, cfg, lists); why != "" {
		return unknownRelease(cmd, o, q, why)
	}
	res := check.Check(entries, q, p)
	if o.json {
		err = check.WriteJSON(cmd.OutOrStdout(), q, res)
	} else {
		err = check.WriteText(cmd.OutOrStdout(), p.Title, q, res)
	}
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	switch res.Outcome() {
	case verdict.Affected:
		return findings()
	case verdict.CannotTell:
		return &ExitError{Code: ExitCannotTell, Err: fmt.Errorf("cannot tell whether %s %s is affected: %s no version data for it", p.Title, q.Version, plaintext.Count(len(res.Unknown), "advisory has", "advisories have"))}
	}
	return nil
}

// unknownRelease answers for a version that is not a known release: cannot
// tell, exit 3.
func unknownRelease(cmd *cobra.Command, o checkOpts, q check.Query, why string) error {
	if o.json {
		if err := check.WriteJSON(cmd.OutOrStdout(), q, check.Result{Affected: []check.Finding{}, Unknown: []check.Unknown{}, Reason: why}); err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	} else {
		fmt.Fprintln(cmd.OutOrStdout(), diag.Escape(why))
	}
	return &ExitError{Code: ExitCannotTell, Err: errors.New(why)}
}

// checkProducts is the products configuration: --root's, completed with
// the products of --dir's records.
func checkProducts(o checkOpts) (product.Config, error) {
	cfg, err := product.Load(o.root)
	if o.dir == "" {
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
		return cfg, nil
	}
	return check.ProductsOf(o.dir, cfg), nil
}

// checkEntries builds the records of the database under --root. An
// advisory whose source has errors is not judged: it is named among the
// advisories that cannot be judged (its errors go to stderr), so check
// never answers "not affected" past it. Errors outside the advisory
// sources stop the check.
func checkEntries(cmd *cobra.Command, o checkOpts) ([]check.Entry, error) {
	recs, ds, broken, err := build.Judgeable(o.root, time.Now().UTC())
	var le diag.ListError
	if errors.As(err, &le) {
		diag.Write(cmd.ErrOrStderr(), "text", diag.List(le))
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("the database has errors; fix them or use --dir with a built output")}
	}
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	entries := check.FromRecords(recs)
	if len(broken) > 0 {
		var errs diag.List
		for _, d := range ds {
			if d.Severity == diag.Error {
				errs = append(errs, d)
			}
		}
		diag.Write(cmd.ErrOrStderr(), "text", errs)
		more, err := check.BrokenSources(o.root, broken)
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("%v; fix it or use --dir with a built output", err)}
		}
		entries = append(entries, more...)
	}
	return entries, nil
}
