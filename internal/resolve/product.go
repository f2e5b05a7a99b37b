package resolve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
	"github.com/psf/advisory-builder/internal/verdict"
)

// Options say what Product resolves.
type Options struct {
	// Root is the database root (the directory holding advisories/).
	Root string
	// Repo is the product's git repository (work tree or bare, full or
	// partial).
	Repo string
	// Product names the product; "" picks the one whose repo URL matches a
	// remote of Repo, else the only product.
	Product string
	// IDs limits the resolution to these advisories; the rest of the
	// committed lock is kept.
	IDs []string
	// NoCache neither reads nor writes the graph cache.
	NoCache bool
	// Progress receives the graph loading's progress (nil: none).
	Progress io.Writer
}

// Outcome is what a resolution found. Nothing is written until Write.
type Outcome struct {
	Product *product.Product
	// Advisories are the advisories resolved (all of the product's, or
	// those of Options.IDs).
	Advisories []*advisory.Advisory
	// Entries are their fresh lock entries, by ID.
	Entries map[string]*lock.Entry
	// Old is the committed lock; Lock the fresh one (Old with Entries in
	// it when IDs were given, else exactly Entries).
	Old, Lock *lock.Lock
	// Releases is the product's known-release list from the repository's
	// release tags.
	Releases *release.List
	// Diags are the findings, sorted, each at its source file: advisories
	// that do not load, commits the repository lacks, and the
	// disagreements of the cross-check (also in Cross).
	Diags diag.List
	// Cross is the cross-check of the authored release facts against the
	// fresh entries.
	Cross verdict.CrossSummary
}

// ErrFindings: the outcome's diagnostics hold errors; nothing may be
// written.
var ErrFindings = errors.New("findings")

// UsageError is a product or advisory that the request names and the
// database lacks, or a product that cannot be told from the repository.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Product resolves the advisories of one product of the database at
// o.Root against its repository: the fresh lock, the release list, the
// diagnostics and the cross-check. An outcome whose diagnostics hold errors
// comes with ErrFindings; a request naming what the database lacks with a
// *UsageError; any other error is I/O (the database, the repository). The
// outcome so far comes with any error (its Diags are worth printing).
func Product(ctx context.Context, o Options) (*Outcome, error) {
	cfg, err := product.Load(o.Root)
	if err != nil {
		return nil, err
	}
	p, err := pickProduct(cfg, o.Product, o.Repo)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Product: p}
	if out.Advisories, out.Diags, err = loadProduct(o.Root, cfg, p.Name, o.IDs); err != nil {
		return out, err
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	as, err := Open(o.Repo, p, gitgraph.Options{NoCache: o.NoCache, Progress: o.Progress})
	if err != nil {
		return out, err
	}
	defer as.Graph.Close()
	out.resolve(as)
	if out.Diags.HasErrors() {
		return out, ErrFindings
	}
	if out.Old, err = lock.Read(o.Root, p.Name); err != nil {
		return out, err
	}
	out.Lock = as.Resolver.Lock(out.Old, p, out.Entries, o.IDs)
	out.Releases = as.Resolver.Releases(p)
	return out, nil
}

// resolve computes the entries and cross-checks them.
func (out *Outcome) resolve(as *Assembly) {
	var ds diag.List
	out.Entries, ds = as.Index.Entries(out.Advisories)
	out.Cross = verdict.CrossCheckAll(out.Advisories, out.Product, out.Entries, as.tagNames())
	out.Diags = append(append(out.Diags, ds...), out.Cross.Diags...)
	out.Diags.Sort()
}

// Write writes the fresh lock and release list into the database at root.
func (out *Outcome) Write(root string) error {
	if err := lock.Write(root, out.Lock); err != nil {
		return err
	}
	return release.Write(root, out.Releases)
}

// Findings are the diagnostics about the advisory id (at its source file).
func (out *Outcome) Findings(id string) diag.List {
	var ds diag.List
	for _, a := range out.Advisories {
		if a.ID != id {
			continue
		}
		for _, d := range out.Diags {
			if d.File == a.Path {
				ds = append(ds, d)
			}
		}
	}
	return ds
}

// Assembly is what resolving a product's advisories needs: the commit
// graph of its repository, the resolver over its release tags and branch
// heads, and the commit-message index that discovers backports (patch
// identities read from the repository).
type Assembly struct {
	Graph    *gitgraph.Graph
	Resolver *Resolver
	Index    *Index
}

// Open loads repo's commit graph and messages and assembles the resolution
// of product p. Close the Graph when done.
func Open(repo string, p *product.Product, o gitgraph.Options) (*Assembly, error) {
	g, err := gitgraph.Open(repo, o)
	if err != nil {
		return nil, err
	}
	msgs, err := g.Messages(o)
	if err != nil {
		g.Close()
		return nil, fmt.Errorf("%s: %w", repo, err)
	}
	r := NewForGraph(g, p.TagRegexp())
	ix := NewIndex(r, msgs, p)
	ix.PatchID = g.PatchID
	ix.PrefetchPatches = g.PrefetchPatches
	return &Assembly{Graph: g, Resolver: r, Index: ix}, nil
}

// tagNames are the names of the release tags the resolver saw.
func (as *Assembly) tagNames() []string {
	var tags []string
	for _, t := range as.Resolver.Tags() {
		tags = append(tags, t.Name)
	}
	return tags
}

// pickProduct is the product named, else the one whose repo URL matches a
// remote of repo, else the only product.
func pickProduct(cfg product.Config, name, repo string) (*product.Product, error) {
	if name != "" {
		p, ok := cfg[name]
		if !ok {
			return nil, usagef("--product %q: no such product (have %s)", name, strings.Join(cfg.Names(), ", "))
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
	return nil, usagef("which product is %s? give --product (one of %s)", repo, strings.Join(cfg.Names(), ", "))
}

// loadProduct loads the product's advisories, limited to ids if any. The
// whole database must load: its errors come back, sorted, with ErrFindings
// (warnings are lint's to report).
func loadProduct(root string, cfg product.Config, prod string, ids []string) ([]*advisory.Advisory, diag.List, error) {
	all, ds := advisory.LoadAll(root, cfg)
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds, ErrFindings
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
			return nil, nil, usagef("%s: no such advisory in product %s", id, prod)
		}
	}
	return out, nil, nil
}
