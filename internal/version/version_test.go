package version

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"strconv"
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

// tagPattern is the language Parse accepts, as the regular expression it
// replaced: the oracle of TestParseMatchesPattern and FuzzParseMatchesPattern.
var tagPattern = regexp.MustCompile(`^v?([0-9]{1,9})\.([0-9]{1,9})(?:\.([0-9]{1,9}))?(?:(a|b|c|rc)([0-9]{1,9}))?$`)

// parseByPattern is Parse as it was written with tagPattern.
func parseByPattern(tag string) (Version, bool) {
	m := tagPattern.FindStringSubmatch(tag)
	if m == nil {
		return Version{}, false
	}
	v := Version{Raw: tag, Kind: Final}
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		v.HasPatch = true
		v.Patch, _ = strconv.Atoi(m[3])
	}
	if m[4] != "" {
		v.Kind = map[string]int{"a": Alpha, "b": Beta, "c": Candidate, "rc": Candidate}[m[4]]
		v.Pre, _ = strconv.Atoi(m[5])
	}
	return v, true
}

func checkParseMatchesPattern(t *testing.T, tag string) {
	t.Helper()
	want, ok := parseByPattern(tag)
	got, err := Parse(tag)
	if ok != (err == nil) || got != want {
		t.Fatalf("Parse(%q) = %+v, %v; the pattern gives %+v, %v", tag, got, err, want, ok)
	}
}

// TestParseMatchesPattern: the hand-written Parse accepts what the
// pattern accepts and reads the same numbers.
func TestParseMatchesPattern(t *testing.T) {
	for _, tag := range []string{
		"v3.12.4", "3.12", "v2.7", "v2.5c1", "v3.13.0rc2", "20.1b1", "23.3", "v3.13.0a1", "0.0", "v0.0.0a0",
		"", "v", "vv3.1", "3", "3.", ".3", "3.1.", "3.1.2.", "3.1.2.4", "3.1a", "3.1rc", "3.1r1", "3.1d1", "3.1a1b1",
		"3.1 ", " 3.1", "V3.1", "3.1-rc1", "123456789.1", "1234567890.1", "1.123456789", "1.1234567890",
		"1.2.1234567890", "1.2a1234567890", "1.2a123456789", "v3.1.4rc0", "3.1c", "٣.1", "3.1.4c1x",
	} {
		checkParseMatchesPattern(t, tag)
	}
}

// FuzzParseMatchesPattern: on any input, Parse agrees with the pattern.
func FuzzParseMatchesPattern(f *testing.F) {
	for _, s := range []string{"v3.12.4", "2.5c1", "20.1b1", "1.2.3rc45", "v1234567890.1"} {
		f.Add(s)
	}
	f.Fuzz(checkParseMatchesPattern)
}

// BenchmarkParse: the hand-written Parse against the pattern it replaced,
// over CPython-like tags.
func BenchmarkParse(b *testing.B) {
	tags := []string{"v3.12.4", "v3.13.0rc2", "v2.5c1", "v2.7", "v3.10.0a7", "v3.9.18"}
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			for _, tag := range tags {
				Parse(tag)
			}
		}
	})
	b.Run("pattern", func(b *testing.B) {
		for b.Loop() {
			for _, tag := range tags {
				parseByPattern(tag)
			}
		}
	})
}
