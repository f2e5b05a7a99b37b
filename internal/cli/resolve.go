package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
	"github.com/psf/advisory-builder/internal/resolve"
	"github.com/psf/advisory-builder/internal/verdict"
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
	cfg, err := product.Load(f.root)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	p, err := pickProduct(cfg, f.prod, f.repo)
	if err != nil {
		return err
	}
	advs, err := loadForResolve(cmd.ErrOrStderr(), f.format, f.root, cfg, p.Name, ids)
	if err != nil {
		return err
	}
	g, err := openGraph(f.repo, f.noCache, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer g.Close()
	msgs, err := g.Messages(graphOptions(f.noCache, cmd.ErrOrStderr()))
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s: %w", f.repo, err)}
	}
	r := resolve.NewForGraph(g, p.TagRegexp())
	db := resolve.NewIndex(r, msgs, p)
	db.PatchID = g.PatchID
	db.PrefetchPatches = g.PrefetchPatches
	entries, ds := db.Entries(advs)
	cross := verdict.CrossCheckAll(advs, p, entries, tagNames(r))
	ds = append(ds, cross.Diags...)
	if len(ds) > 0 {
		ds.Sort()
		diag.Write(cmd.ErrOrStderr(), f.format, ds)
		if ds.HasErrors() {
			return findings()
		}
	}
	old, err := lock.Read(f.root, p.Name)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	fresh := r.Lock(old, p, entries, ids)
	releases := r.Releases(p)
	if f.check {
		lockErr := checkLock(cmd.OutOrStdout(), old, fresh, ids, p.Name, f.pr)
		if err := checkReleases(cmd.OutOrStdout(), f.root, p, releases); err != nil || lockErr != nil {
			return findings()
		}
		return nil
	}
	if err := lock.Write(f.root, fresh); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if err := release.Write(f.root, releases); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	resolve.WriteSummary(cmd.OutOrStdout(), cmd.ErrOrStderr(), fresh, entries)
	cross.WriteSummary(cmd.OutOrStdout())
	return nil
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

func pickProduct(cfg product.Config, name, repo string) (*product.Product, error) {
	if name != "" {
		p, ok := cfg[name]
		if !ok {
			return nil, usage("--product %q: no such product (have %s)", name, strings.Join(cfg.Names(), ", "))
		}
		return p, nil
	}
	for _, u := range gitgraph.RemoteURLs(repo) {
		for _, n := range cfg.Names() {
			if gitgraph.SameRepo(cfg[n].Repo, u) {
				return cfg[n], nil
			}
		}
	}
	if len(cfg) == 1 {
		return cfg[cfg.Names()[0]], nil
	}
	return nil, usage("which product is %s? give --product (one of %s)", repo, strings.Join(cfg.Names(), ", "))
}

// loadForResolve loads the product's advisories, limited to ids if any.
func loadForResolve(stderr io.Writer, format, root string, cfg product.Config, prod string, ids []string) ([]*advisory.Advisory, error) {
	all, ds := advisory.LoadAll(root, cfg)
	if ds.HasErrors() {
		ds.Sort()
		diag.Write(stderr, format, ds)
		return nil, findings()
	}
	var out []*advisory.Advisory
	have := map[string]bool{}
	for _, a := range all {
		if a.Product != prod {
			continue
		}
		have[a.ID] = true
		if len(ids) == 0 || slices.Contains(ids, a.ID) {
			out = append(out, a)
		}
	}
	for _, id := range ids {
		if !have[id] {
			return nil, usage("%s: no such advisory in product %s", id, prod)
		}
	}
	return out, nil
}

// tagNames are the names of the release tags r saw.
func tagNames(r *resolve.Resolver) []string {
	var tags []string
	for _, t := range r.Tags() {
		tags = append(tags, t.Name)
	}
	return tags
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
		fmt.Fprintf(w, "%s is up to date (%d advisories, %d release tags)\n", lock.Path("", prod), len(fresh.Advisories), fresh.Tags)
		return nil
	}
	fmt.Fprintf(w, "%s is stale:\n", lock.Path("", prod))
	for _, r := range reasons {
		fmt.Fprintf(w, "  %s\n", r)
	}
	fmt.Fprintf(w, "run `advisory resolve --repo DIR --product %s` and commit the lock\n", prod)
	return findings()
}
