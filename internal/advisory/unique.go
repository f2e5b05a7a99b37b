package advisory

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/diag"
)

// Unique checks what spans files: every ID and every alias is used once.
// Advisories are taken oldest first (published, then ID), so a duplicate is
// reported against the newer file, the one that adds it.
func Unique(as []*Advisory) diag.List {
	ids := make([]Identity, len(as))
	for i, a := range as {
		ids[i] = a.Identity()
	}
	return UniqueIdentities(ids)
}

// UniqueIdentities is Unique over the advisories' identities, for a caller
// that keeps only those (a build releases each advisory once it is
// written).
func UniqueIdentities(as []Identity) diag.List {
	var out diag.List
	ids := map[string]*Identity{}
	aliases := map[string]*Identity{}
	for _, a := range oldestFirst(as) {
		if prev, ok := ids[a.ID]; ok {
			out = append(out, a.uniqueAt(0, "id %s is already used by %s; each advisory needs its own id", a.ID, prev.Path))
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
				out = append(out, a.uniqueAt(1+i, "alias %s is already listed by %s (%s), the older advisory; an alias belongs to one advisory: remove it here, or there if it is wrong there", al, prev.ID, prev.Path))
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
// Each date is parsed once, not at every comparison.
func oldestFirst(as []Identity) []*Identity {
	type dated struct {
		a    *Identity
		when time.Time
	}
	ds := make([]dated, len(as))
	for i := range as {
		t, _ := rule.ParseTime(as[i].Published)
		ds[i] = dated{&as[i], t}
	}
	slices.SortStableFunc(ds, func(x, y dated) int {
		if c := x.when.Compare(y.when); c != 0 {
			return c
		}
		if c := rule.CompareIDs(x.a.ID, y.a.ID); c != 0 {
			return c
		}
		return strings.Compare(x.a.Path, y.a.Path)
	})
	out := make([]*Identity, len(ds))
	for i, d := range ds {
		out[i] = d.a
	}
	return out
}

// Identity is the part of an advisory that the checks across files read:
// its ID, product, file, publication date, aliases, and where the id and
// each alias are (pos[0] the id, pos[1+i] aliases[i]). A build keeps it for
// every advisory and releases the rest. Its strings are copies: they keep
// nothing of the source alive.
type Identity struct {
	ID, Product, Path, Published string
	Aliases                      []string
	pos                          []Position
}

// Identity is the advisory's identity.
func (a *Advisory) Identity() Identity {
	id := Identity{
		ID: strings.Clone(a.ID), Product: a.Product, Path: a.Path,
		Published: strings.Clone(a.Published), Aliases: make([]string, len(a.Aliases)),
		pos: make([]Position, 1+len(a.Aliases)),
	}
	id.pos[0] = a.Pos.Of("id")
	for i, al := range a.Aliases {
		id.Aliases[i] = strings.Clone(al)
		id.pos[1+i] = a.Pos.Of(fmt.Sprintf("aliases[%d]", i))
	}
	return id
}

// uniqueAt is a diagnostic at the id (0) or an alias (1+i).
func (a *Identity) uniqueAt(at int, format string, args ...any) diag.Diagnostic {
	p := a.pos[at]
	return diag.Diagnostic{File: a.Path, Line: p.Line, Col: p.Col, Severity: diag.Error, Rule: "unique", Message: fmt.Sprintf(format, args...)}
}
