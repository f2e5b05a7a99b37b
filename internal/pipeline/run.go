package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/psf/advisory-builder/internal/build"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/ids"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/publish"
	"github.com/psf/advisory-builder/internal/resolve"
)

// Run is a publish (or refresh) run: from the newest main of the database,
// assign IDs, resolve every product, commit and push the renames and locks
// to main, build, and publish. When main moves under it (the database push
// is rejected, or the guards refuse an output that main has since
// superseded) it starts again from the new main, up to Attempts times.
func Run(ctx context.Context, o Options) (*Report, error) {
	o.defaults()
	for attempt := 1; ; attempt++ {
		start, err := syncMain(o.Root, o.DBRemote, o.DBBranch)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(o.Log, "pipeline: %s %s at %s (attempt %d of %d)\n", o.DBRemote, o.DBBranch, start, attempt, o.Attempts)
		rep, err := runOnce(ctx, &o, start)
		if rep != nil {
			rep.Attempts = attempt
		}
		if errors.Is(err, errMoved) && attempt < o.Attempts {
			fmt.Fprintf(o.Log, "pipeline: %s moved during the run; starting again from the newest %s\n", o.DBBranch, o.DBBranch)
			continue
		}
		return rep, err
	}
}

func runOnce(ctx context.Context, o *Options, start string) (*Report, error) {
	rep := &Report{Start: start, root: o.Root}
	if err := prepare(ctx, o, o.Root, rep); err != nil {
		return rep, err
	}
	commit, pushed, err := commitDatabase(o.Root, o.DBRemote, o.DBBranch, commitMessage(rep.Assigned), o.Ident)
	if err != nil && !pushed && commit != "" {
		if moved(o, start) {
			return rep, errMoved
		}
	}
	if err != nil {
		return rep, err
	}
	rep.DBCommit = commit
	if commit != "" {
		fmt.Fprintf(o.Log, "pipeline: pushed %s to %s %s\n", commit, o.DBRemote, o.DBBranch)
		o.advanceClock()
	}
	if err := buildAndPublish(ctx, o, o.Root, false, rep); err != nil {
		var r *Refused
		if errors.As(err, &r) && moved(o, start) {
			return rep, errMoved
		}
		if r != nil {
			annotate(o, rep)
		}
		return rep, err
	}
	if err := githubAdvisories(ctx, o, rep); err != nil {
		return rep, err
	}
	return rep, drafts(o, rep, o.Announce)
}

// moved reports whether the database's branch is no longer at start on the
// remote (another run or a merge landed).
func moved(o *Options, start string) bool {
	h, err := remoteHead(o.Root, o.DBRemote, o.DBBranch)
	return err == nil && h != start
}

// prepare lints the database at root, then assigns IDs and resolves every
// product: nothing lint refuses is numbered, committed or pushed.
func prepare(ctx context.Context, o *Options, root string, rep *Report) error {
	cfg, err := product.Load(root)
	if err != nil {
		return err
	}
	if err := mirrorsFor(cfg, o.Mirrors); err != nil {
		return err
	}
	rep.Products = cfg
	fmt.Fprintln(o.Log, "pipeline: lint")
	if err := ids.Lint(root, nil, cfg, o.Now).Err(); err != nil {
		return o.diagErr(root, rep, err)
	}
	fmt.Fprintln(o.Log, "pipeline: assign-ids")
	rep.Assigned, err = ids.Assign(root)
	if err != nil {
		return o.diagErr(root, rep, err)
	}
	for _, a := range rep.Assigned {
		fmt.Fprintf(o.Log, "pipeline: %s -> %s\n", a.From, a.To)
	}
	rep.Locks, rep.Findings = map[string]*lock.Lock{}, map[string]diag.List{}
	for _, name := range cfg.Names() {
		if err := resolveOne(ctx, o, root, name, rep); err != nil {
			return err
		}
	}
	return nil
}

// resolveOne resolves a product and writes its lock and release list,
// printing its diagnostics (paths as the checkout names them) and summary,
// and keeps its lock and each advisory's diagnostics for the summary.
func resolveOne(ctx context.Context, o *Options, root, name string, rep *Report) error {
	fmt.Fprintf(o.Log, "pipeline: resolve %s against %s\n", name, o.Mirrors[name])
	out, err := o.Resolve(ctx, resolve.Options{Root: root, Product: name, Repo: o.Mirrors[name], Progress: o.Log})
	if out != nil {
		diag.Write(o.Log, o.Format, o.relocate(root, rep.Assigned, out.Diags))
	}
	if errors.Is(err, resolve.ErrFindings) {
		return fmt.Errorf("resolve %s: %w (above)", name, ErrFindings)
	}
	if err == nil {
		err = out.Write(root)
	}
	if err != nil {
		return fmt.Errorf("resolve %s: %w", name, err)
	}
	var summary bytes.Buffer
	resolve.WriteSummary(&summary, o.Log, out.Lock, out.Entries)
	out.Cross.WriteSummary(&summary)
	o.Log.Write(summary.Bytes())
	rep.Locks[name] = out.Lock
	for _, a := range out.Advisories {
		if ds := out.Findings(a.ID); len(ds) > 0 {
			rep.Findings[a.ID] = o.relocate(root, rep.Assigned, ds)
		}
	}
	return nil
}

// paths rewrites the paths of a scratch root (Validate works in a clone)
// to the paths of the checkout, and a renamed placeholder's new path to the
// path the pull request has: annotations land on the files it changes.
func (o *Options) paths(root string, assigned []ids.Assignment) *strings.Replacer {
	if root == o.Root {
		return strings.NewReplacer()
	}
	prefix := filepath.Clean(o.Root) + string(filepath.Separator)
	if filepath.Clean(o.Root) == "." {
		prefix = ""
	}
	var pairs []string
	for _, a := range assigned {
		pairs = append(pairs, a.NewPath, o.checkoutPath(root, a.OldPath))
	}
	return strings.NewReplacer(append(pairs, root+string(filepath.Separator), prefix)...)
}

// checkoutPath is p (under root) as the checkout names it.
func (o *Options) checkoutPath(root, p string) string {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return p
	}
	return filepath.Join(o.Root, rel)
}

// relocate gives diagnostics about files of root the paths the checkout
// has (see paths), in their file names and messages.
func (o *Options) relocate(root string, assigned []ids.Assignment, ds diag.List) diag.List {
	paths := o.paths(root, assigned)
	out := make(diag.List, len(ds))
	for i, d := range ds {
		d.File, d.Message = paths.Replace(d.File), paths.Replace(d.Message)
		out[i] = d
	}
	return out
}

// diagErr prints source diagnostics (in the run's format, paths as the
// checkout names them) and returns an error saying so.
func (o *Options) diagErr(root string, rep *Report, err error) error {
	var le diag.ListError
	if !errors.As(err, &le) {
		return err
	}
	diag.Write(o.Log, o.Format, o.relocate(root, rep.Assigned, diag.List(le)))
	return fmt.Errorf("%w (above)", ErrFindings)
}

// buildAndPublish builds the database at root and publishes (or, in a dry
// run, runs the guards against) the output.
func buildAndPublish(ctx context.Context, o *Options, root string, dry bool, rep *Report) error {
	out := o.Out
	if out == "" {
		d, done, err := tempDir("advisory-pipeline-")
		if err != nil {
			return err
		}
		defer done()
		out = filepath.Join(d, "public")
	}
	fmt.Fprintf(o.Log, "pipeline: build into %s\n", out)
	// The run keeps every record: the drafts and the GitHub advisories need
	// those a publish adds, known only after the build (the database is
	// small; the build itself keeps none).
	var recs []*osv.Record
	keep := func(r *osv.Record) error {
		recs = append(recs, r)
		return nil
	}
	if _, err := build.Run(build.Options{Root: root, Out: out, Now: o.Now, Log: o.Log, Progress: o.Progress, Record: keep}); err != nil {
		return o.diagErr(root, rep, err)
	}
	rep.Records = recs
	po := o.Publish
	po.Dir, po.DryRun, po.Log = out, dry, o.Log
	po.CheckAdded = func(added []string) error { return checkDrafts(o, recs, added) }
	rep.Remote, rep.Branch = po.Remote, po.Branch
	fmt.Fprintf(o.Log, "pipeline: publish to %s (dry run: %v)\n", po.Remote, dry)
	pres, err := publish.Publish(ctx, po)
	var refused *publish.RefusedError
	if errors.As(err, &refused) {
		rep.Refused = refused.Problems
		return &Refused{Problems: refused.Problems}
	}
	if err != nil {
		return err
	}
	rep.Published = pres
	return nil
}

func commitMessage(as []ids.Assignment) string {
	if len(as) == 0 {
		return CommitMessage
	}
	var b strings.Builder
	b.WriteString(CommitMessage + "\n\n")
	for _, a := range as {
		fmt.Fprintf(&b, "%s -> %s\n", a.From, a.To)
	}
	return b.String()
}
