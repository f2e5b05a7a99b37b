package version

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/testenv"
)

func TestOrder(t *testing.T) {
	// Each list is in increasing version order.
	tests := [][]string{
		{"v3.13.0a1", "v3.13.0a2", "v3.13.0b1", "v3.13.0rc1", "v3.13.0rc2", "v3.13.0", "v3.13.1"},
		{"v2.5a1", "v2.5b1", "v2.5c1", "v2.5c2", "v2.5", "v2.5.1c1", "v2.5.1", "v2.5.2"},
		{"v2.7rc1", "v2.7", "v2.7.1", "v2.7.18"},
		{"v3.9.0", "v3.9.20", "v3.10.0a1", "v3.10.0", "v3.11.0"},
		{"1.5.6", "9.0.3", "10.0.0b1", "10.0.0", "20.0", "20.1b1", "20.1", "20.1.1", "23.3", "23.3.1", "24.0"},
	}
	for _, want := range tests {
		got := slices.Clone(want)
		slices.Reverse(got)
		Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("Sort = %v, want %v", got, want)
		}
		for i := 1; i < len(want); i++ {
			a, b := MustParse(want[i-1]), MustParse(want[i])
			if a.Compare(b) >= 0 || b.Compare(a) <= 0 {
				t.Errorf("%s should sort before %s", a.Raw, b.Raw)
			}
			if semverOf(a).Compare(semverOf(b)) > 0 {
				t.Errorf("semver order of %s and %s disagrees", a.Raw, b.Raw)
			}
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		tag, str, branch string
		kind, pre        int
	}{
		{"v3.12.4", "3.12.4", "3.12", Final, 0},
		{"v3.13.0rc1", "3.13.0rc1", "3.13", Candidate, 1},
		{"v2.5c1", "2.5rc1", "2.5", Candidate, 1},
		{"v2.7", "2.7", "2.7", Final, 0},
		{"20.1b1", "20.1b1", "20.1", Beta, 1},
		{"v3.14.0a7", "3.14.0a7", "3.14", Alpha, 7},
	}
	for _, tt := range tests {
		v, err := Parse(tt.tag)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.tag, err)
		}
		if v.String() != tt.str || v.Branch() != tt.branch || v.Kind != tt.kind || v.Pre != tt.pre {
			t.Errorf("Parse(%q) = %+v (string %q, branch %q)", tt.tag, v, v.String(), v.Branch())
		}
		if BranchOf(tt.tag) != tt.branch {
			t.Errorf("BranchOf(%q) = %q", tt.tag, BranchOf(tt.tag))
		}
	}
	for _, bad := range []string{"", "v", "3", "v3.12.", "v3.12.4.1", "v3.12.4rc", "3.12.4-rc1", "legacy-trunk", "v3.12.4 ", "vv3.1", "v99999999999.1"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", bad)
		}
	}
}

// TestRealReleases parses every CPython release in the shared release list
// and checks the list, already in version order, sorts to itself.
func TestRealReleases(t *testing.T) {
	f, err := os.Open(testenv.Shared(t, "cpython", "python_releases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var tags []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		ver, _, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		if _, err := Parse("v" + ver); err != nil {
			t.Errorf("real release: %v", err)
		}
		tags = append(tags, "v"+ver)
	}
	if len(tags) < 200 {
		t.Fatalf("only %d releases read", len(tags))
	}
	got := slices.Clone(tags)
	slices.Reverse(got)
	Sort(got)
	if !slices.Equal(got, tags) {
		t.Errorf("real release list does not sort to itself")
	}
	if !MustParse("v3.9.0").Less(MustParse("v3.10.0")) {
		t.Error("3.9 must sort before 3.10")
	}
}

func TestCompareBranches(t *testing.T) {
	want := []string{"feature-x", "2.7", "3.9", "3.10", "3.12", "main"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, CompareBranches)
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"v3.13.0rc1", "v2.5c1", "v2.7", "20.1b1", "23.3", "v3.12.4", "1.2.3a0", "v0.0"} {
		f.Add(s, "v3.12.4")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		va, errA := Parse(a)
		vb, errB := Parse(b)
		if errA != nil || errB != nil {
			return
		}
		// Canonical form reparses to the same numbers.
		r, err := Parse(va.String())
		if err != nil {
			t.Fatalf("String %q of %q does not parse: %v", va.String(), a, err)
		}
		r.Raw = va.Raw
		if r != va {
			t.Fatalf("round trip of %q: %+v != %+v", a, r, va)
		}
		if va.Compare(vb) != -vb.Compare(va) {
			t.Fatalf("Compare not antisymmetric on %q %q", a, b)
		}
		if (va.Compare(vb) == 0) != (a == b) {
			t.Fatalf("Compare(%q, %q) = 0 for different tags", a, b)
		}
		_ = semverOf(va)
	})
}

func TestPlain(t *testing.T) {
	for tag, want := range map[string]string{
		"v3.12.4": "3.12.4", "v2.5c1": "2.5rc1", "v3.13.0rc2": "3.13.0rc2", "23.3": "23.3", "vnext": "next", "": "",
	} {
		if got := Plain(tag); got != want {
			t.Errorf("Plain(%q) = %q, want %q", tag, got, want)
		}
	}
}
