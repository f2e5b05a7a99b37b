package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
	"github.com/psf/advisory-builder/internal/resolve"
)

func init() { register(newResolveCmd) }

type resolveFlags struct {
	repo, root, prod, format string
	check, pr, noCache       bool
}

func newResolveCmd() *cobra.Command {
	var f resolveFlags
	cmd := &cobra.Command{
		Use:   "resolve --repo DIR [--product P] [--check] [ID...]",
		Short: "Compute affected versions from the product's git tags into the committed lock",
		Long: `Resolve loads the product's advisories and its repository's commit graph,
discovers each fix's backports (cherry-pick trailers, then "[X.Y] ... (GH-N)"
titles, then same-issue commits with the same patch), computes the affected release tags and a per-branch summary, and
writes advisories/<product>.lock.json, which build reads (no clone needed).

With IDs, only those advisories are resolved and the rest of the lock is kept.
--check writes nothing: it exits 1 when the lock differs from a fresh
resolution and says which IDs are stale and why.

Both cross-check the advisories' authored release facts (first_affected,
fixed_in, last_affected_in, status) against the computed result: every
disagreement is an error (rule crosscheck) at the authored value, in
--format, saying both values and the tag or commit that proves it; resolve
then exits 1 and writes nothing, until the facts or the fix commits are
corrected, or the branch entry states that git is right (accept_git: why).
With accept_git, and for the hints to add a fix commit, they are warnings. With --pr (pull-request
validation) an advisory that is not in the lock yet is listed as new, not
stale: the publish run resolves it on merge.

The product is --product, else the one whose repo URL matches a remote of
--repo, else the only product.

Exit codes: 0 success (lock written or up to date), 1 findings (stale lock,
commits missing from the repository, advisories that do not load, facts
that disagree with the computed result),
2 usage or I/O errors.`,
		Example: `  advisory resolve --repo ../cpython
  advisory resolve --repo ../cpython --check
  advisory resolve --repo ../pip --product pip PSF-2023-7`,
		RunE: func(cmd *cobra.Command, ids []string) error { return runResolve(cmd, &f, ids) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.repo, "repo", "", "the product's git repository (work tree or bare; full, or partial with --filter=tree:0 or blob:none)")
	fl.StringVar(&f.root, "root", ".", "database root (the directory holding advisories/)")
	fl.StringVar(&f.prod, "product", "", "product to resolve (python, pip)")
	fl.BoolVar(&f.check, "check", false, "write nothing; exit 1 when the lock is stale")
	fl.BoolVar(&f.pr, "pr", false, "with --check: an advisory missing from the lock is new, not stale")
	fl.StringVar(&f.format, "format", "text", "diagnostics format: text, github or json")
	fl.BoolVar(&f.noCache, "no-cache", false, "neither read nor write the graph cache")
	return cmd
}

func runResolve(cmd *cobra.Command, f *resolveFlags, ids []string) error {
	if f.repo == "" {
		return usage("--repo is required: the product's git repository (bare or not; a full clone or a --filter=tree:0 one)")
	}
	if !slices.Contains(diag.Formats, f.format) {
		return usage("--format %q: use one of %s", f.format, strings.Join(diag.Formats, ", "))
	}
	if f.pr && !f.check {
		return usage("--pr goes with --check")
	}
	out, err := resolve.Product(cmd.Context(), resolve.Options{Root: f.root, Repo: f.repo, Product: f.prod, IDs: ids,
		NoCache: f.noCache, Progress: graphOptions(f.noCache, cmd.ErrOrStderr()).Progress})
	if out != nil && len(out.Diags) > 0 {
		diag.Write(cmd.ErrOrStderr(), f.format, out.Diags)
	}
	if err != nil {
		return resolveExit(err)
	}
	if f.check {
		lockErr := checkLock(cmd.OutOrStdout(), out.Old, out.Lock, ids, out.Product.Name, f.pr)
		if err := checkReleases(cmd.OutOrStdout(), f.root, out.Product, out.Releases); err != nil || lockErr != nil {
			return findings()
		}
		return nil
	}
	if err := out.Write(f.root); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	resolve.WriteSummary(cmd.OutOrStdout(), cmd.ErrOrStderr(), out.Lock, out.Entries)
	out.Cross.WriteSummary(cmd.OutOrStdout())
	return nil
}

// resolveExit is the exit of a resolution that failed: 1 for findings
// (printed already), 2 for usage and I/O errors.
func resolveExit(err error) error {
	var ue *resolve.UsageError
	switch {
	case errors.Is(err, resolve.ErrFindings):
		return findings()
	case errors.As(err, &ue):
		return usage("%s", ue.Msg)
	}
	return &ExitError{Code: ExitUsage, Err: err}
}

// checkReleases reports a committed release list that differs from the
// repository's release tags (a release tagged since, or a list written by
// hand): the records' versions and check's known releases come from it.
func checkReleases(w io.Writer, root string, p *product.Product, fresh *release.List) error {
	old, err := release.Read(root, p)
	if err != nil {
		fmt.Fprintf(w, "%s: %s\n", release.Path(root, p.Name), diag.Escape(err.Error()))
		return err
	}
	d := old.Diff(fresh)
	if len(d) == 0 {
		return nil
	}
	shown := d[:min(len(d), 20)]
	more := ""
	if len(d) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(d)-len(shown))
	}
	fmt.Fprintf(w, "%s is stale: %s%s; run `advisory resolve` to rewrite it from the tags\n", release.Path(root, p.Name), diag.Escape(strings.Join(shown, " ")), more)
	return fmt.Errorf("stale release list")
}

// checkLock compares the committed lock with a fresh resolution and reports
// every stale entry with the reason; exit 1 when anything differs. With
// newOK (pull-request mode) entries missing from the lock are listed as new
// and do not make the lock stale.
func checkLock(w io.Writer, old, fresh *lock.Lock, ids []string, prod string, newOK bool) error {
	if newOK {
		var added []string
		old, added = lock.WithNew(old, fresh)
		for _, id := range added {
			fmt.Fprintf(w, "%s: new advisory, not in the lock yet: resolved on merge\n", id)
		}
	}
	reasons, err := lock.Stale(old, fresh, ids)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if len(reasons) == 0 {
		fmt.Fprintf(w, "%s is up to date (%s, %s)\n", lock.Path("", prod), plaintext.Count(len(fresh.Advisories), "advisory", "advisories"), plaintext.Count(fresh.Tags, "release tag", "release tags"))
		return nil
	}
	fmt.Fprintf(w, "%s is stale:\n", lock.Path("", prod))
	for _, r := range reasons {
		fmt.Fprintf(w, "  %s\n", r)
	}
	fmt.Fprintf(w, "run `advisory resolve --repo DIR --product %s` and commit the lock\n", prod)
	return findings()
}
