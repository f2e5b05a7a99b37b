package advisory

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/diag"
)

// Unique checks what spans files: every ID and every alias is used once.
// Advisories are taken oldest first (published, then ID), so a duplicate is
// reported against the newer file, the one that adds it.
func Unique(as []*Advisory) diag.List {
	var out diag.List
	ids := map[string]*Advisory{}
	aliases := map[string]*Advisory{}
	for _, a := range oldestFirst(as) {
		if prev, ok := ids[a.ID]; ok {
			out = append(out, uniqueAt(a, "id", "id %s is already used by %s; each advisory needs its own id", a.ID, prev.Path))
		} else {
			ids[a.ID] = a
		}
		own := map[string]bool{}
		for i, al := range a.Aliases {
			if own[al] {
				continue // repeated within the file: reported by checkAliases
			}
			own[al] = true
			if prev, ok := aliases[al]; ok {
				out = append(out, uniqueAt(a, fmt.Sprintf("aliases[%d]", i), "alias %s is already listed by %s (%s), the older advisory; an alias belongs to one advisory: remove it here, or there if it is wrong there", al, prev.ID, prev.Path))
			} else {
				aliases[al] = a
			}
		}
	}
	return out
}

// UniqueAgainst checks the IDs and aliases of the given advisories (the
// files a lint of some paths loaded) against the rest of the database too,
// and reports what concerns the given files and Unique(given) did not
// report already: a single-file lint catches an alias another file holds.
func UniqueAgainst(given, rest []*Advisory) diag.List {
	files := map[string]bool{}
	for _, a := range given {
		files[a.Path] = true
	}
	seen := map[diag.Diagnostic]bool{}
	for _, d := range Unique(given) {
		seen[d] = true
	}
	var out diag.List
	for _, d := range Unique(append(slices.Clone(given), rest...)) {
		if files[d.File] && !seen[d] {
			out = append(out, d)
		}
	}
	return out
}

// oldestFirst orders advisories by publication, then by ID (PSF-2023-5
// before PSF-2023-10), then by file; an unreadable date counts as oldest.
func oldestFirst(as []*Advisory) []*Advisory {
	out := slices.Clone(as)
	when := func(a *Advisory) time.Time {
		t, _ := rule.ParseTime(a.Published)
		return t
	}
	sort.SliceStable(out, func(i, j int) bool {
		ti, tj := when(out[i]), when(out[j])
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		if c := rule.CompareIDs(out[i].ID, out[j].ID); c != 0 {
			return c < 0
		}
		return out[i].Path < out[j].Path
	})
	return out
}

func uniqueAt(a *Advisory, path, format string, args ...any) diag.Diagnostic {
	p := a.Pos.Of(path)
	return diag.Diagnostic{File: a.Path, Line: p.Line, Col: p.Col, Severity: diag.Error, Rule: "unique", Message: fmt.Sprintf(format, args...)}
}

// Identity is the part of the advisory that Unique (and a check of the
// locks against the database) reads: its ID, product, file, publication
// date, aliases and their positions. A build keeps it for every advisory
// and releases the rest, so the checks across files need not hold the
// whole database. Its strings are copies: they keep nothing of the source
// alive.
func (a *Advisory) Identity() *Advisory {
	id := &Advisory{
		ID: strings.Clone(a.ID), Product: a.Product, Path: a.Path,
		Published: strings.Clone(a.Published), Aliases: make([]string, len(a.Aliases)),
	}
	for i, al := range a.Aliases {
		id.Aliases[i] = strings.Clone(al)
	}
	id.Pos = make(Positions, len(a.Aliases)+2)
	for _, path := range append([]string{"id", "aliases"}, aliasPaths(len(a.Aliases))...) {
		if p, ok := a.Pos[path]; ok {
			id.Pos[path] = p
		}
	}
	return id
}

// aliasPaths are the field paths of n aliases.
func aliasPaths(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("aliases[%d]", i)
	}
	return out
}
