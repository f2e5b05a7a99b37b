package osvimport

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// holder is a record or source that lists an alias.
type holder struct {
	id, title string
	path      string // the database source, or the record file
	dst       string // the source an imported record is written to
	existing  bool   // a source of the database, not an imported record
	imported  bool   // an imported record that was accepted
}

// sharedAliases refuses the records that list an alias (CVE, GHSA, PYSEC)
// the database or an earlier record already lists: two records never share
// one (pip's PYSEC-2023-228 is CVE-2023-5752, which the database may hold
// under its own ID; upstream, PSF-2023-5 and PSF-2023-6 both list
// CVE-2022-48566). Records are taken oldest first (published, then ID), so
// the newer record, the one that adds the alias, is the one refused; a
// refused record claims nothing, so a third record sharing only its
// aliases is imported. The error of a refused record names every record it
// shares an alias with and how to resolve it. A source that the record
// replaces (Force, same path) does not count.
func sharedAliases(srcs []source, existing []*advisory.Advisory, force bool) ([]source, []error) {
	replaced := map[string]bool{}
	if force {
		for _, s := range srcs {
			replaced[s.path] = true
		}
	}
	all := map[string][]*holder{} // alias -> every record listing it
	owner := map[string]*holder{} // alias -> the record that holds it
	for _, e := range existing {
		if replaced[e.Path] {
			continue
		}
		h := &holder{id: e.ID, title: e.Title, path: e.Path, existing: true}
		for _, al := range append([]string{e.ID}, e.Aliases...) {
			all[al] = append(all[al], h)
			owner[al] = h
		}
	}
	order := oldestFirst(srcs)
	hs := make([]*holder, len(order))
	for i, s := range order {
		hs[i] = &holder{id: s.a.ID, title: s.a.Title, path: s.from, dst: s.path}
		for _, al := range s.a.Aliases {
			all[al] = append(all[al], hs[i])
		}
	}
	var keep []source
	var refused []int
	for i, s := range order {
		if blocked(s, hs[i], owner) {
			refused = append(refused, i)
			continue
		}
		hs[i].imported = true
		for _, al := range s.a.Aliases {
			owner[al] = hs[i]
		}
		keep = append(keep, s)
	}
	// The refusals are written once every record is decided, so each
	// names what became of the others.
	var errs []error
	for _, i := range refused {
		errs = append(errs, errors.New(refusal(order[i], hs[i], all)))
	}
	sort.SliceStable(keep, func(i, j int) bool { return keep[i].from < keep[j].from })
	return keep, errs
}

// blocked reports whether one of s's aliases is already held.
func blocked(s source, h *holder, owner map[string]*holder) bool {
	for _, al := range s.a.Aliases {
		if o := owner[al]; o != nil && o != h {
			return true
		}
	}
	return false
}

// refusal says why record s (holder h) was not imported, naming every
// record it shares an alias with and how to resolve it.
func refusal(s source, h *holder, all map[string][]*holder) string {
	others, shared := sharers(s, h, all)
	var shares, fixes []string
	for _, o := range others {
		shares = append(shares, fmt.Sprintf("%s with %s %q (%s)", strings.Join(shared[o], " and "), o.id, o.title, o.state()))
		fixes = append(fixes, o.fixPath())
		if s.upstream != s.a.ID && slices.Contains(shared[o], s.upstream) {
			return fmt.Sprintf("%s: %s was not imported: %s %q (%s) already lists %s, this record's own ID, so the database holds this flaw already; nothing to import (add any alias it lacks to %s by hand).",
				s.from, s.upstream, o.id, o.title, o.state(), s.upstream, o.fixPath())
		}
	}
	return fmt.Sprintf("%s: %s %q was not imported: it shares %s. Different flaws never share an identifier, so one record of each pair lists a wrong alias (often one copied along with another record's text; the upstream history, git log -p, shows it). Look the alias up (%s) and remove it where it is wrong: from %s, or from this record; then run the import again with --skip-existing. If the records describe the same flaw, this one is a duplicate: leave it out.",
		s.from, s.a.ID, s.a.Title, strings.Join(shares, ", and "), lookups(s.a.Aliases, all), strings.Join(fixes, " or "))
}

// sharers are the other records that list one of s's aliases, in the
// order first met, each with the aliases it shares.
func sharers(s source, h *holder, all map[string][]*holder) ([]*holder, map[*holder][]string) {
	var others []*holder
	shared := map[*holder][]string{}
	for _, al := range s.a.Aliases {
		for _, o := range all[al] {
			if o == h || slices.Contains(shared[o], al) {
				continue
			}
			if shared[o] == nil {
				others = append(others, o)
			}
			shared[o] = append(shared[o], al)
		}
	}
	return others, shared
}

// state says what became of a holder.
func (h *holder) state() string {
	switch {
	case h.existing:
		return "in the database as " + h.path
	case h.imported:
		return "imported as " + h.dst
	}
	return "not imported either"
}

// fixPath is where a holder's alias is edited: its source in the
// database (existing or just imported), else its record file.
func (h *holder) fixPath() string {
	switch {
	case h.existing:
		return h.path
	case h.imported:
		return h.dst
	}
	return h.path
}

// lookups are the public pages of the shared aliases.
func lookups(aliases []string, all map[string][]*holder) string {
	var out []string
	for _, al := range aliases {
		if len(all[al]) < 2 {
			continue
		}
		switch {
		case strings.HasPrefix(al, "CVE-"):
			out = append(out, "https://www.cve.org/CVERecord?id="+al)
		case strings.HasPrefix(al, "GHSA-"):
			out = append(out, "https://github.com/advisories/"+al)
		default:
			out = append(out, "https://osv.dev/vulnerability/"+al)
		}
	}
	return strings.Join(out, ", ")
}

// oldestFirst orders records by publication, then by ID (PSF-2023-5
// before PSF-2023-10).
func oldestFirst(srcs []source) []source {
	out := append([]source(nil), srcs...)
	sort.SliceStable(out, func(i, j int) bool {
		ti, tj := published(out[i].a), published(out[j].a)
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return rule.CompareIDs(out[i].a.ID, out[j].a.ID) < 0
	})
	return out
}

func published(a *advisory.Advisory) time.Time {
	t, err := time.Parse(time.RFC3339Nano, a.Published)
	if err != nil {
		return time.Time{}
	}
	return t
}
