package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/resolve"
	"github.com/psf/advisory-builder/internal/version"
)

func init() { register(newVersionsCmd) }

type versionsFlags struct {
	repo, root, prod, tags, batch string
	in                            resolve.Input
	json, explain, noCache        bool
}

func newVersionsCmd() *cobra.Command {
	var f versionsFlags
	cmd := &cobra.Command{
		Use:   "versions --repo DIR [--introduced SHA|0]... [--fixed SHA]... [--last-affected SHA]...",
		Short: "Print the release tags a commit range affects",
		Long: `Versions loads a repository's commit graph and prints the release tags the
range affects, one per line in version order. A tag T is affected iff some
introduced commit I is an ancestor-or-self of T and no fixed commit F has
I <= F <= T (full ancestry, not first-parent); a last-affected commit counts
as a fix at each of its children; introduced "0" (the default) means no
introducing commit, as in git and osv.dev: T is affected iff it contains no
fixed commit.

--batch FILE reads JSON lines {"id","introduced","fixed","last_affected"}
(FILE "-" is standard input) and writes {"id","versions"} lines in input
order, from one load of the repository.

--explain tells, per release series, why each tag is or is not affected.

Release tags are those matching --tags, else the --product's tag pattern
(from --root's products config), else ` + version.DefaultTagPattern + `.
The loaded graph is cached (see docs/resolver.md); --no-cache skips it.

Exit codes: 0 success, 2 usage or I/O error (unknown commit, bad batch line).`,
		Example: `  advisory versions --repo ../cpython --fixed 81c16cd94ec38d61aa478b9a452436dc3b1b524d
  advisory versions --repo ../cpython --introduced 0 --fixed 81c16cd9 --fixed 6ceb8aed --explain
  advisory versions --repo ../cpython --batch ranges.jsonl > versions.jsonl`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{collectorLater: "yes"},
		RunE:        func(cmd *cobra.Command, _ []string) error { return runVersions(cmd, &f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.repo, "repo", "", "the product's git repository (work tree or bare; full, or partial with --filter=tree:0 or blob:none)")
	fl.StringVar(&f.root, "root", ".", "database root, for --product")
	fl.StringVar(&f.prod, "product", "", "take the release-tag pattern from this product")
	fl.StringVar(&f.tags, "tags", "", "regular expression release tags match (overrides --product)")
	fl.StringArrayVar(&f.in.Introduced, "introduced", nil, `introducing commit, or "0" for none: affected unless a fix is contained (default "0")`)
	fl.StringArrayVar(&f.in.Fixed, "fixed", nil, "fixing commit (repeatable)")
	fl.StringArrayVar(&f.in.LastAffected, "last-affected", nil, "last affected commit (repeatable)")
	fl.StringVar(&f.batch, "batch", "", `resolve the JSON lines of FILE ("-": standard input)`)
	fl.BoolVar(&f.json, "json", false, `print {"versions":[...]} instead of lines`)
	fl.BoolVar(&f.explain, "explain", false, "explain, per release series, why each tag is or is not affected")
	fl.BoolVar(&f.noCache, "no-cache", false, "neither read nor write the graph cache")
	return cmd
}

func (f *versionsFlags) tagRegexp() (*regexp.Regexp, error) {
	pat := f.tags
	if pat == "" && f.prod != "" {
		cfg, err := product.Load(f.root)
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
		p, ok := cfg[f.prod]
		if !ok {
			return nil, usage("--product %q: no such product in %s (have %v)", f.prod, product.ConfigPath(f.root), cfg.Names())
		}
		pat = p.TagPattern
	}
	if pat == "" {
		pat = version.DefaultTagPattern
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, usage("--tags %q: %v", pat, err)
	}
	return re, nil
}

func runVersions(cmd *cobra.Command, f *versionsFlags) error {
	if f.batch != "" && (len(f.in.Introduced)+len(f.in.Fixed)+len(f.in.LastAffected) > 0 || f.explain) {
		return usage("--batch takes its ranges from FILE: drop --introduced, --fixed, --last-affected and --explain")
	}
	re, err := f.tagRegexp()
	if err != nil {
		return err
	}
	var batch []resolve.Input
	if f.batch != "" {
		if batch, err = readBatch(f.batch, cmd.InOrStdin()); err != nil {
			return err
		}
	}
	g, err := openGraph(f.repo, f.noCache, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	tags, skipped := g.Tags(re)
	for _, s := range skipped {
		fmt.Fprintf(cmd.ErrOrStderr(), "advisory: tag %s matches the tag pattern but is not a release version; skipped\n", s)
	}
	r := resolve.New(g, tags, resolve.BranchHeads(g))
	if f.batch != "" {
		if err := r.WriteBatch(cmd.OutOrStdout(), batch, f.batch); err != nil {
			return usage("%v", err)
		}
		return nil
	}
	if len(f.in.Introduced) == 0 {
		f.in.Introduced = []string{"0"}
	}
	rg, err := r.Lookup(f.in)
	if err != nil {
		return usage("%v", err)
	}
	res := r.Resolve(rg)
	out := bufio.NewWriter(cmd.OutOrStdout()) // one write, not one a tag
	switch {
	case f.explain:
		res.Explain(out)
	case f.json:
		if err := json.NewEncoder(out).Encode(map[string][]string{"versions": res.Versions()}); err != nil {
			return err
		}
	default:
		for _, v := range res.Versions() {
			out.WriteString(v)
			out.WriteByte('\n')
		}
	}
	return out.Flush()
}

// readBatch reads the batch file (name "-": stdin).
func readBatch(name string, stdin io.Reader) ([]resolve.Input, error) {
	var r io.Reader = stdin
	if name != "-" {
		fh, err := os.Open(name)
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
		defer fh.Close()
		r = fh
	}
	batch, err := resolve.ReadBatch(r, name)
	if err != nil {
		return nil, usage("%v", err)
	}
	return batch, nil
}
