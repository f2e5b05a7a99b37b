package lock

import (
	"slices"
	"strings"
	"testing"
)

func sampleLock() *Lock {
	return &Lock{Product: "python", Repo: "https://github.com/python/cpython", Tags: 2, TagsDigest: "d1",
		Advisories: map[string]*Entry{
			"PSF-2024-1": {InputDigest: "i1", Versions: []string{"v3.12.0", "v3.12.1"},
				Fixed:    []Fix{{Commit: strings.Repeat("a", 40), Branch: "main", Source: "authored"}},
				Branches: []BranchResult{{Branch: "main", Status: StatusFixed, FixedIn: "v3.12.2"}}},
			"PSF-2024-2": {InputDigest: "i2"},
		}}
}

func TestStale(t *testing.T) {
	cases := []struct {
		name string
		edit func(l *Lock)
		ids  []string
		want []string // substrings, one per reason, in order
	}{
		{"equal", func(*Lock) {}, nil, nil},
		// not equal values, equal bytes: the encoding decides
		{"empty and absent warnings", func(l *Lock) { l.Advisories["PSF-2024-2"].Warnings = []string{} }, nil, nil},
		{"tags", func(l *Lock) { l.Tags, l.TagsDigest = 3, "d2" }, nil, []string{"release tags changed: the lock saw 2, the repository has 3"}},
		{"repo", func(l *Lock) { l.Repo = "https://example.org/x" }, nil, []string{"repo changed"}},
		{"input", func(l *Lock) { l.Advisories["PSF-2024-1"].InputDigest = "x" }, nil, []string{"PSF-2024-1: its range changed"}},
		{"versions", func(l *Lock) { l.Advisories["PSF-2024-1"].Versions = []string{"v3.12.0"} }, nil, []string{"PSF-2024-1: affected versions changed: -v3.12.1"}},
		{"fixes", func(l *Lock) {
			l.Advisories["PSF-2024-1"].Fixed = append(l.Advisories["PSF-2024-1"].Fixed, Fix{Commit: strings.Repeat("b", 40), Branch: "3.12", Source: "trailer"})
		}, nil, []string{"PSF-2024-1: fix commits changed (backports found or gone): +bbbbbbbbbbbb@3.12"}},
		{"branches", func(l *Lock) { l.Advisories["PSF-2024-1"].Branches[0].FixedIn = "v3.12.3" }, nil, []string{"PSF-2024-1: the per-branch summary changed"}},
		{"warnings", func(l *Lock) { l.Advisories["PSF-2024-2"].Warnings = []string{"w"} }, nil, []string{"PSF-2024-2: warnings changed"}},
		{"new", func(l *Lock) { l.Advisories["PSF-2024-3"] = &Entry{} }, nil, []string{"PSF-2024-3: not in the lock"}},
		{"gone", func(l *Lock) { delete(l.Advisories, "PSF-2024-2") }, nil, []string{"PSF-2024-2: in the lock but no such advisory"}},
		{"other id only", func(l *Lock) { l.Advisories["PSF-2024-2"].InputDigest = "x" }, []string{"PSF-2024-1"}, []string{"formatting differs"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fresh := sampleLock()
			c.edit(fresh)
			got, err := Stale(sampleLock(), fresh, c.ids)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("Stale = %q, want %d reasons like %q", got, len(c.want), c.want)
			}
			for i, w := range c.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("reason %d = %q, want one containing %q", i, got[i], w)
				}
			}
		})
	}
}

func TestWithNew(t *testing.T) {
	old, fresh := sampleLock(), sampleLock()
	delete(old.Advisories, "PSF-2024-2")
	fresh.Advisories["PSF-2024-3"] = &Entry{InputDigest: "i3"}
	l, added := WithNew(old, fresh)
	if !slices.Equal(added, []string{"PSF-2024-2", "PSF-2024-3"}) {
		t.Errorf("added = %q", added)
	}
	if len(l.Advisories) != 3 || len(old.Advisories) != 1 {
		t.Errorf("merged %d entries, old now has %d (must stay 1)", len(l.Advisories), len(old.Advisories))
	}
	if reasons, err := Stale(l, fresh, nil); err != nil || reasons != nil {
		t.Errorf("after WithNew: Stale = %q, %v; want nothing", reasons, err)
	}
}
