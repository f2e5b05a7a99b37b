package verdict_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/resolve"
	"github.com/psf/advisory-builder/internal/verdict"
)

var cpython = &product.Product{Name: "python", Title: "CPython", Repo: "https://github.com/python/cpython",
	TagPattern: `^v[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|c|rc)[0-9]+)?$`,
	Branches:   map[string]string{"main": "feature", "3.11": "security", "3.10": "security", "3.9": "end-of-life", "3.8": "end-of-life"}}

// resolved resolves advisories on gittest's CPython-shaped repository
// (introduced m2; fixed on main by m7; 3.10's backport b310_2 lands after
// v3.10.1 was cut, in v3.10.2; 3.9's b39_2 in v3.9.1; 3.11's backport is
// reverted; 3.8 never fixed) and returns their entries and the tag names.
func resolved(t *testing.T, build func(r *gittest.Repo) []*advisory.Advisory) ([]*advisory.Advisory, map[string]*lock.Entry, []string) {
	t.Helper()
	dir := t.TempDir()
	r := gittest.CPython(t, dir, true)
	as, err := resolve.Open(dir, cpython, gitgraph.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	defer as.Graph.Close()
	advs := build(r)
	entries, ds := as.Index.Entries(advs)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	var tags []string
	for _, tg := range as.Resolver.Tags() {
		tags = append(tags, tg.Name)
	}
	return advs, entries, tags
}

func adv(id string, r *gittest.Repo, facts ...advisory.Branch) *advisory.Advisory {
	a := &advisory.Advisory{ID: id, Path: "advisories/python/" + id + ".yaml", Introduced: r.Hex("m2"),
		Branches: append([]advisory.Branch{{Branch: "main", Fixed: r.Hex("m7")}}, facts...)}
	return a
}

func fixed(branch, first, in string) advisory.Branch {
	return advisory.Branch{Branch: branch, FirstAffected: first, FixedIn: in}
}

func status(branch, first, s string) advisory.Branch {
	return advisory.Branch{Branch: branch, FirstAffected: first, Status: s}
}

// TestCrossCheck runs the cross-check over the CPython-shaped repository:
// facts that agree with git, a backport that landed one release later and
// one release earlier than authored, a first affected release said too
// late, statuses git contradicts, and branches with facts but no fix
// commit (backport discovery found one, or none).
func TestCrossCheck(t *testing.T) {
	advs, entries, tags := resolved(t, func(r *gittest.Repo) []*advisory.Advisory {
		return []*advisory.Advisory{
			adv("PSF-2024-1", r, // every fact agrees with git
				fixed("3.9", "3.9.0", "3.9.1"), fixed("3.10", "3.10.0a1", "3.10.2"),
				status("3.11", "3.11.0a1", lock.FactUnfixed), status("3.8", "0", lock.FactUnfixed),
				advisory.Branch{Branch: "3.12", Status: lock.FactNotAffected}),
			adv("PSF-2024-2", r,
				fixed("3.10", "3.10.0a1", "3.10.1"), // the backport landed one release later
				fixed("3.9", "3.9.0", "3.9.2"),      // one release earlier
				fixed("3.11", "3.11.0a1", "3.11.1"), // git: reverted, unfixed
				advisory.Branch{Branch: "3.8", Status: lock.FactNotAffected}),
			adv("PSF-2024-3", r,
				fixed("3.10", "3.10.0", "3.10.2"), // 3.10.0a1 is affected too
				status("3.9", "3.9.0", lock.FactUnfixed),
				advisory.Branch{Branch: "3.10", Fixed: r.Hex("b310_2")}),
			adv("PSF-2024-4", r, fixed("3.8", "0", "3.8.2")), // never fixed, no backport
			adv("PSF-2024-5", r, // "0" claims every earlier release, 3.9's fixed ones too
				advisory.Branch{Branch: "3.10", Fixed: r.Hex("b310_2"), FirstAffected: "0", FixedIn: "3.10.2"}),
		}
	})
	got := map[string][]string{}
	counts := map[string]int{}
	checked, agreed := 0, 0
	for _, a := range advs {
		rep := verdict.CrossCheck(a, cpython, entries[a.ID], tags)
		checked, agreed = checked+rep.Checked, agreed+rep.Agreed
		for _, f := range rep.Findings {
			got[a.ID] = append(got[a.ID], f.Field+" "+f.Kind+": "+f.Message)
			counts[f.Kind]++
		}
	}
	want := map[string][]string{
		"PSF-2024-1": {
			"branches[1].branch no-fix-commit-backport-found: branch 3.9 has release facts but no fix commit; backport discovery found " + entries["PSF-2024-1"].Fixed[2].Commit[:8] + " (by title), first contained in v3.9.1: add fixed: " + entries["PSF-2024-1"].Fixed[2].Commit + " to this entry",
			"branches[2].branch no-fix-commit-backport-found: branch 3.10 has release facts but no fix commit; backport discovery found " + entries["PSF-2024-1"].Fixed[1].Commit[:8] + " (by trailer), first contained in v3.10.2: add fixed: " + entries["PSF-2024-1"].Fixed[1].Commit + " to this entry",
		},
		"PSF-2024-2": {
			"branches[1].fixed_in fixed-in-earlier-than-git: fixed_in says 3.10.1, but v3.10.1 is affected: fix " + entries["PSF-2024-2"].Fixed[1].Commit[:8] + " is first contained in v3.10.2",
			"branches[1].branch no-fix-commit-backport-found",
			"branches[2].fixed_in fixed-in-later-than-git: fixed_in says 3.9.2, but v3.9.1 is not affected: fix " + entries["PSF-2024-2"].Fixed[2].Commit[:8] + " is first contained in v3.9.1",
			"branches[2].branch no-fix-commit-backport-found",
			"branches[3].fixed_in fixed-but-git-unfixed: fixed_in says 3.11.1, but git finds 3.11 unfixed: v3.11.1 is affected and no fix reaches it",
			"branches[3].branch no-fix-commit-none-found",
			"branches[4].status not-affected-but-git-affected: status says not-affected, but git finds 3 releases of 3.8 affected (v3.8.0a1 to v3.8.1)",
		},
		"PSF-2024-3": {
			"branches[1].first_affected first-affected-disagrees: first_affected says 3.10.0, but v3.10.0a1 is affected (git's first affected release of 3.10 is v3.10.0a1)",
			"branches[2].status unfixed-but-git-fixed: status says unfixed, but fix " + entries["PSF-2024-3"].Fixed[2].Commit[:8] + " is on 3.9 (first contained in v3.9.1)",
		},
		"PSF-2024-4": {
			"branches[1].fixed_in fixed-but-git-unfixed: fixed_in says 3.8.2, but git finds 3.8 unfixed: v3.8.1 is affected and no fix reaches it",
			"branches[1].branch no-fix-commit-none-found: branch 3.8 has release facts saying it is fixed, but no fix commit, and backport discovery found none on 3.8: add the fix commit",
		},
		"PSF-2024-5": {
			"branches[1].first_affected first-affected-disagrees: first_affected says 0 (every earlier release, older branches included), but git finds v3.9.1 not affected",
		},
	}
	for id, ws := range want {
		if len(got[id]) != len(ws) {
			t.Errorf("%s: %d findings, want %d:\n%s", id, len(got[id]), len(ws), strings.Join(got[id], "\n"))
			continue
		}
		for i, w := range ws {
			if !strings.HasPrefix(got[id][i], w) {
				t.Errorf("%s finding %d:\n got  %s\n want %s", id, i, got[id][i], w)
			}
		}
	}
	if checked != 13 || agreed != 5 {
		t.Errorf("checked %d entries, %d agreed; want 13 and 5", checked, agreed)
	}
	var kinds []string
	for _, k := range verdict.Kinds {
		if counts[k] > 0 {
			kinds = append(kinds, k)
		}
	}
	t.Logf("cross-check over the CPython-shaped repository: %d fact entries, %d agree; findings by kind: %v", checked, agreed, counts)
	if want := []string{verdict.KindFixedEarlier, verdict.KindFixedLater, verdict.KindFirstAffected, verdict.KindNotAffected,
		verdict.KindFixedButUnfixed, verdict.KindUnfixedButFixed, verdict.KindBackportFound, verdict.KindBackportNone}; !slices.Equal(kinds, want) {
		t.Errorf("kinds caught %v, want %v", kinds, want)
	}
}

// TestCrossCheckNeedsFacts: no facts, or no resolution, checks nothing.
func TestCrossCheckNeedsFacts(t *testing.T) {
	advs, entries, tags := resolved(t, func(r *gittest.Repo) []*advisory.Advisory {
		return []*advisory.Advisory{adv("PSF-2024-1", r)}
	})
	if rep := verdict.CrossCheck(advs[0], cpython, entries["PSF-2024-1"], tags); rep.Checked != 0 || len(rep.Findings) != 0 {
		t.Errorf("no facts: %+v", rep)
	}
	a := &advisory.Advisory{ID: "PSF-2024-2", Introduced: "0", Branches: []advisory.Branch{fixed("3.9", "3.9.0", "3.9.1")}}
	if rep := verdict.CrossCheck(a, cpython, nil, tags); rep.Checked != 0 {
		t.Errorf("no resolution: %+v", rep)
	}
}

// TestCrossCheckGate: a disagreement between the facts and the computed
// result is an error (the gate) unless the branch entry states that git is
// right; the hint to add a found backport stays a warning either way.
func TestCrossCheckGate(t *testing.T) {
	accepted := fixed("3.10", "3.10.0a1", "3.10.1")
	accepted.AcceptGit = "The backport missed the 3.10.1 cut (reviewed)"
	for _, tc := range []struct {
		name string
		b    advisory.Branch
		want map[string]string // kind -> severity
	}{
		{"disagreement", fixed("3.10", "3.10.0a1", "3.10.1"), map[string]string{verdict.KindFixedEarlier: "error", verdict.KindBackportFound: "warning"}},
		{"accepted", accepted, map[string]string{verdict.KindFixedEarlier: "warning", verdict.KindBackportFound: "warning"}},
		{"agreement", fixed("3.10", "3.10.0a1", "3.10.2"), map[string]string{verdict.KindBackportFound: "warning"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			advs, entries, tags := resolved(t, func(r *gittest.Repo) []*advisory.Advisory {
				return []*advisory.Advisory{adv("PSF-2024-1", r, tc.b)}
			})
			sum := verdict.CrossCheckAll(advs, cpython, entries, tags)
			got := map[string]string{}
			for _, d := range sum.Diags {
				for k := range tc.want {
					if strings.Contains(d.Message, "("+k+")") {
						got[k] = string(d.Severity)
					}
				}
				if d.Severity == "error" && !strings.Contains(d.Message, "accept_git") {
					t.Errorf("an error that does not say how to settle it: %s", d.Message)
				}
			}
			if len(got) != len(tc.want) || len(sum.Diags) != len(tc.want) {
				t.Fatalf("diagnostics %v, want severities %v", sum.Diags, tc.want)
			}
			for k, sev := range tc.want {
				if got[k] != sev {
					t.Errorf("%s: %s, want %s", k, got[k], sev)
				}
			}
		})
	}
}
