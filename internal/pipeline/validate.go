package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
)

// Change is one advisory source a pull request touches, and the ID it
// has (or would be assigned) when published.
type Change struct {
	Status  string // A, M or D
	Path    string // as the checkout names it
	Product string
	ID      string // the final ID (a placeholder's would-be assignment)
	From    string // the placeholder ID, when assigned
}

// Validate rehearses a publish run for a pull request, touching neither
// the checkout nor any remote: in a local clone of the checkout's HEAD it
// assigns IDs, resolves every product, builds, and runs the publish guards
// as a dry run against the published repository. It returns a *Refused
// when the guards would refuse the output after merge, and ErrCommitDates
// when a commit of the pull request (base..HEAD) has a committer date main
// cannot take (see commitDates).
func Validate(ctx context.Context, o Options) (*Report, error) {
	o.defaults()
	rep := &Report{DryRun: true, Attempts: 1}
	head, err := git(o.Root, "rev-parse", "--verify", "HEAD^{commit}")
	if err != nil {
		return nil, err
	}
	rep.Start = head
	if o.Base != "" {
		files, err := changedSources(o.Root, o.Base)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			f.Path = filepath.ToSlash(filepath.Join(o.Root, filepath.FromSlash(f.Path)))
			rep.Changed = append(rep.Changed, change(f))
		}
		if rep.ProductChanges, err = productChanges(o.Root, o.Base); err != nil {
			return nil, err
		}
		if rep.CommitDates, err = commitDates(o.Root, o.Base, o.Now); err != nil {
			return nil, err
		}
		reportDates(o.Log, o.Format, rep.CommitDates)
	}
	tmp, done, err := tempDir("advisory-validate-")
	if err != nil {
		return nil, err
	}
	defer done()
	top, err := git(o.Root, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	clone := filepath.Join(tmp, "db")
	if _, err := git(o.Root, "clone", "--quiet", "--local", "--no-checkout", top, clone); err != nil {
		return nil, err
	}
	if _, err := git(clone, "checkout", "--quiet", "--detach", head); err != nil {
		return nil, err
	}
	root := clone
	if rel, err := git(o.Root, "rev-parse", "--show-prefix"); err == nil && rel != "" {
		root = filepath.Join(clone, filepath.FromSlash(rel))
	}
	if err := prepare(ctx, &o, root, rep); err != nil {
		return rep, err
	}
	assigned(rep)
	err = buildAndPublish(ctx, &o, root, true, rep)
	var r *Refused
	if errors.As(err, &r) {
		annotate(&o, rep)
	}
	if len(rep.CommitDates) > 0 { // first: a later step may fail because of them
		err = errors.Join(fmt.Errorf("%w (%d, above)", ErrCommitDates, len(rep.CommitDates)), err)
	}
	return rep, err
}

func change(f changedFile) Change {
	parts := strings.Split(f.Path, "/")
	id := strings.TrimSuffix(parts[len(parts)-1], ".yaml")
	return Change{Status: f.Status, Path: f.Path, Product: parts[len(parts)-2], ID: id}
}

// assigned gives each changed placeholder the ID the run assigned it.
func assigned(rep *Report) {
	for i, c := range rep.Changed {
		for _, a := range rep.Assigned {
			if a.Product == c.Product && a.From == c.ID {
				rep.Changed[i].From, rep.Changed[i].ID = c.ID, a.To
			}
		}
	}
}

// annotate prints each guard refusal as a diagnostic (in the run's format:
// a workflow annotation with github) at the source line it is about.
func annotate(o *Options, rep *Report) {
	var ds diag.List
	for _, p := range rep.Refused {
		d := diag.Diagnostic{Severity: diag.Error, Rule: "publish-guard", Message: p.Message}
		if d.File = sourceFile(o, rep, p.ID); d.File != "" {
			d.Line, d.Col = fieldLine(d.File, p.Field), 1
		}
		ds = append(ds, d)
	}
	diag.Write(o.Log, o.Format, ds)
}

// sourceFile is the checkout's source of advisory id: the file the pull
// request changes (a placeholder's, under the ID it would get), else the
// file of that ID in the checkout; "" when there is none.
func sourceFile(o *Options, rep *Report, id string) string {
	if id == "" {
		return ""
	}
	var path string
	for _, c := range rep.Changed {
		if c.ID == id || c.From == id {
			path = c.Path
		}
	}
	for _, name := range rep.Products.Names() {
		p := filepath.Join(o.Root, "advisories", name, id+".yaml")
		if _, err := os.Stat(p); path == "" && err == nil {
			path = filepath.ToSlash(p)
		}
	}
	return path
}

// fieldLine is the line of the source's field (its id when it has no such
// field), as the loader places it; 1 when the source does not load (a
// removed file).
func fieldLine(path, field string) int {
	a, _ := advisory.LoadFile(filepath.FromSlash(path), "")
	if a == nil {
		return 1
	}
	if _, ok := a.Pos[field]; !ok {
		field = "id"
	}
	return a.Pos.Of(field).Line
}
