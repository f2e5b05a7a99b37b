package resolve

import (
	"slices"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
)

func cpython(t *testing.T) (*gittest.Repo, *Resolver) {
	t.Helper()
	dir := t.TempDir()
	r := gittest.CPython(t, dir, true)
	return r, assemble(t, dir, testProduct).Resolver
}

func TestResolveSemantics(t *testing.T) {
	r, res := cpython(t)
	h := r.Hex
	tests := []struct {
		name string
		in   Input
		want []string
	}{
		{"main fix only: every branch without its backport stays affected",
			Input{Introduced: []string{h("m2")}, Fixed: []string{h("m7")}},
			[]string{"v3.8.0a1", "v3.8.0", "v3.8.1", "v3.9.0", "v3.9.1", "v3.10.0a1", "v3.10.0", "v3.10.1", "v3.10.2", "v3.11.0a1", "v3.11.0", "v3.11.1"}},
		{"all fixes: the release merge's second parent (v3.10.1) is affected, the merge is not",
			Input{Introduced: []string{h("m2")}, Fixed: []string{h("m7"), h("b310_2"), h("b39_2"), h("b311_2")}},
			[]string{"v3.8.0a1", "v3.8.0", "v3.8.1", "v3.9.0", "v3.10.0a1", "v3.10.0", "v3.10.1", "v3.11.0a1", "v3.11.0"}},
		{"introduced 0: no introducing commit, affected iff no fix is contained",
			Input{Introduced: []string{"0"}, Fixed: []string{h("m3")}},
			[]string{}},
		{"introduced 0, fix on a branch only",
			Input{Introduced: []string{"0"}, Fixed: []string{h("b310_2")}},
			[]string{"v3.8.0a1", "v3.8.0", "v3.8.1", "v3.9.0", "v3.9.1", "v3.10.0a1", "v3.10.0", "v3.10.1", "v3.11.0a1", "v3.11.0", "v3.11.1", "v3.12.0a1"}},
		{"introduced after the fix's fork: I is no ancestor of F, so F does not stop it",
			Input{Introduced: []string{h("b310_rel")}, Fixed: []string{h("b310_2")}},
			[]string{"v3.10.1", "v3.10.2"}},
		{"introduced is ancestor-or-self: the tagged commit itself",
			Input{Introduced: []string{h("b39_3")}},
			[]string{"v3.9.1"}},
		{"last_affected counts as a fix at each child",
			Input{Introduced: []string{h("m2")}, LastAffected: []string{h("b310_1")}},
			[]string{"v3.8.0a1", "v3.8.0", "v3.8.1", "v3.9.0", "v3.9.1", "v3.10.0a1", "v3.10.0", "v3.11.0a1", "v3.11.0", "v3.11.1", "v3.12.0a1"}},
		{"fixed equal to introduced: nothing",
			Input{Introduced: []string{h("m5")}, Fixed: []string{h("m5")}},
			[]string{}},
		{"two introduced commits, one fixed",
			Input{Introduced: []string{h("m7"), h("b39_1")}, Fixed: []string{h("b39_2")}},
			[]string{"v3.9.0", "v3.12.0a1"}},
		{"no introduced: nothing",
			Input{Fixed: []string{h("m7")}},
			[]string{}},
		{"prefix hashes",
			Input{Introduced: []string{h("b311_3")[:8]}},
			[]string{"v3.11.1"}},
	}
	for _, tt := range tests {
		rg, err := res.Lookup(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := res.Resolve(rg).Versions(); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, got, tt.want)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	_, res := cpython(t)
	for _, in := range []Input{
		{Introduced: []string{"zz"}},
		{Fixed: []string{"0123456789012345678901234567890123456789"}},
		{LastAffected: []string{"abc"}},
	} {
		if _, err := res.Lookup(in); err == nil {
			t.Errorf("Lookup(%+v) succeeded", in)
		}
	}
}

func TestReleased(t *testing.T) {
	dir := t.TempDir()
	r := gittest.CPython(t, dir, true)
	r.Commit("m9", "gh-115: Not released yet (#116)", "m8")
	r.Branch("main", "m9")
	as := assemble(t, dir, testProduct)
	g, res := as.Graph, as.Resolver
	for label, want := range map[string]bool{"m2": true, "b310_2": true, "b311_3": true, "m8": true, "m9": false} {
		c, _ := g.Lookup(r.Hex(label))
		if got := res.Released(c); got != want {
			t.Errorf("Released(%s) = %v", label, got)
		}
	}
}
