package resolve

import (
	"math/rand/v2"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/synth"
	"github.com/psf/advisory-builder/internal/version"
)

// TestDifferentialGit checks the resolver against the git CLI on random
// introduced/fixed/last_affected sets over generated 6,000-commit histories
// with release merges, forward merges and several roots merged into main at
// different points, with the table of every commit's tips and with tips
// computed on demand (as for a repository with very many tags). The oracle
// applies section 5's definition literally: T is affected iff some
// introduced I has I ⪯ T (`git tag --contains I`) and no fixed F has I ⪯ F
// (`git merge-base --is-ancestor`) and F ⪯ T (`git tag --contains F`); for
// introduced "0", iff T contains no fixed F at all, as git and osv.dev read
// it (a root merged in after the fix does not re-introduce the flaw).
func TestDifferentialGit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 6,000-commit repositories")
	}
	for _, tt := range []struct {
		name   string
		roots  int
		budget int
	}{
		{"three roots, full table", 2, fullTableBudget},
		{"six roots, tips on demand", 5, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func(b int) { fullTableBudget = b }(fullTableBudget)
			fullTableBudget = tt.budget
			differential(t, tt.roots)
		})
	}
}

func differential(t *testing.T, roots int) {
	dir := t.TempDir()
	h, hashes, err := synth.Create(dir, synth.Params{Commits: 6000, Series: 12, Live: 4, ReleaseEvery: 15, FixRate: 0.05, MergeRate: 0.05, Roots: roots, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	g, err := gitgraph.Open(dir, gitgraph.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() < 5000 || len(h.Deleted) == 0 || len(g.Roots()) != roots+1 {
		t.Fatalf("history too small: %d commits, %d deleted branches, %d roots", g.Len(), len(h.Deleted), len(g.Roots()))
	}
	// The oracle's git is faster with a commit-graph; the resolver must see
	// the same graph with and without it.
	git(t, dir, "commit-graph", "write", "--reachable")
	g2, err := gitgraph.Open(dir, gitgraph.Options{NoCache: true})
	if err != nil || !g2.UsedCommitGraph || g2.Len() != g.Len() {
		t.Fatalf("with commit-graph: %v (used %v, %d commits)", err, g2 != nil && g2.UsedCommitGraph, g.Len())
	}
	for c := uint32(0); c < uint32(g.Len()); c++ {
		if g.Hash(c) != g2.Hash(c) || !slices.Equal(g.Parents(c), g2.Parents(c)) {
			t.Fatalf("commit %d differs with the commit-graph", c)
		}
	}
	res := NewForGraph(g, regexp.MustCompile(version.DefaultTagPattern))
	o := &oracle{t: t, dir: dir, contains: map[string][]string{}, anc: map[[2]string]bool{}}
	allTags := strings.Fields(git(t, dir, "tag", "-l"))
	rnd := rand.New(rand.NewPCG(7, 7))
	pick := func() string { return g.Hash(uint32(rnd.IntN(g.Len()))).String() }
	// backports made after a deleted branch's last release are unreachable
	reachable := func(mark int) bool { _, err := g.Lookup(hashes[mark]); return err == nil }
	var ranges []Range
	var wants [][]string
	for q := 0; q < 32; q++ {
		var in Input
		switch q % 5 {
		case 0: // a generated fix and its backports, introduced 0
			f := h.Fixes[rnd.IntN(len(h.Fixes))]
			in.Introduced = []string{"0"}
			in.Fixed = append(in.Fixed, hashes[f.Mark])
			for _, b := range f.Backports {
				if rnd.IntN(4) > 0 && reachable(b) {
					in.Fixed = append(in.Fixed, hashes[b])
				}
			}
		case 1: // random introduced and fixed commits
			for k := 0; k <= rnd.IntN(2); k++ {
				in.Introduced = append(in.Introduced, pick())
			}
			for k := 0; k <= rnd.IntN(5); k++ {
				in.Fixed = append(in.Fixed, pick())
			}
		case 2: // an early main commit, fixes after it
			in.Introduced = []string{hashes[h.MainMarks[rnd.IntN(len(h.MainMarks)/3)]]}
			f := h.Fixes[rnd.IntN(len(h.Fixes))]
			in.Fixed = []string{hashes[f.Mark]}
			for _, b := range f.Backports {
				if reachable(b) {
					in.Fixed = append(in.Fixed, hashes[b])
				}
			}
		case 3: // last_affected
			in.Introduced = []string{pick()}
			in.LastAffected = []string{pick(), pick()}
		case 4: // introduced 0 and random fixes, some before a root's merge
			in.Introduced = []string{"0"}
			if rnd.IntN(2) == 0 {
				in.Introduced = append(in.Introduced, pick())
			}
			for k := 0; k <= rnd.IntN(3); k++ {
				in.Fixed = append(in.Fixed, pick())
			}
		}
		rg, err := res.Lookup(in)
		if err != nil {
			t.Fatal(err)
		}
		got := res.Resolve(rg).Versions()
		want := o.affected(in, allTags)
		if !slices.Equal(got, want) {
			t.Errorf("query %d %+v:\n got %v\nwant %v", q, in, got, want)
		}
		ranges, wants = append(ranges, rg), append(wants, want)
	}
	// All queries in one pass, as versions --batch resolves them: every
	// introduced commit in one ancestry (shared sets over many of them).
	for q, r := range res.ResolveAll(ranges) {
		if got := r.Versions(); !slices.Equal(got, wants[q]) {
			t.Errorf("query %d in one batch:\n got %v\nwant %v", q, got, wants[q])
		}
	}
}

type oracle struct {
	t        *testing.T
	dir      string
	contains map[string][]string
	anc      map[[2]string]bool
	parents  []string
}

func (o *oracle) tagsContaining(c string) []string {
	if v, ok := o.contains[c]; ok {
		return v
	}
	v := strings.Fields(git(o.t, o.dir, "tag", "--contains", c))
	o.contains[c] = v
	return v
}

func (o *oracle) isAncestor(a, b string) bool {
	k := [2]string{a, b}
	if v, ok := o.anc[k]; ok {
		return v
	}
	err := exec.Command("git", "-C", o.dir, "merge-base", "--is-ancestor", a, b).Run()
	o.anc[k] = err == nil
	return err == nil
}

func (o *oracle) affected(in Input, allTags []string) []string {
	fixed := slices.Clone(in.Fixed)
	if len(in.LastAffected) > 0 && o.parents == nil {
		o.parents = strings.Split(strings.TrimSpace(git(o.t, o.dir, "rev-list", "--all", "--parents")), "\n")
	}
	for _, l := range in.LastAffected {
		// children of l: commits whose parents include l
		for _, line := range o.parents {
			f := strings.Fields(line)
			if slices.Contains(f[1:], l) {
				fixed = append(fixed, f[0])
			}
		}
	}
	set := map[string]bool{}
	for _, i := range in.Introduced {
		if i == "0" {
			for _, tag := range allTags {
				set[tag] = set[tag] || !slices.ContainsFunc(fixed, func(f string) bool {
					return slices.Contains(o.tagsContaining(f), tag)
				})
			}
			continue
		}
		for _, tag := range o.tagsContaining(i) {
			ok := true
			for _, f := range fixed {
				if o.isAncestor(i, f) && slices.Contains(o.tagsContaining(f), tag) {
					ok = false
					break
				}
			}
			if ok {
				set[tag] = true
			}
		}
	}
	out := []string{}
	for _, tag := range allTags {
		if set[tag] {
			out = append(out, tag)
		}
	}
	version.Sort(out)
	return out
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}
