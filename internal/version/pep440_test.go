package version

import (
	"slices"
	"testing"

	"github.com/google/osv-scalibr/semantic"
)

// pep440Order is in increasing PEP 440 order: real pip releases (some
// without a git tag: 0.2, 0.6.3) and the spec's edge cases.
var pep440Order = []string{
	"0.2", "0.6.3", "1.0.dev1", "1.0a1", "1.0a2.dev1", "1.0a2", "1.0b1", "1.0rc1",
	"1.0", "1.0.post1.dev1", "1.0.post1", "1.0.post2", "1.0.1", "1.5.6",
	"9.0.3", "10.0.0.dev0", "10.0.0b1", "10.0.0b2", "10.0.0", "10.0.0+local.1",
	"10.0.0+local.2", "10.0.0+local.10", "20.1b1", "20.1", "23.2.1", "23.3.dev0",
	"23.3", "23.3.1", "25.3", "1!0.1",
}

func TestPEP440Order(t *testing.T) {
	got := slices.Clone(pep440Order)
	slices.Reverse(got)
	SchemePEP440.Sort(got)
	if !slices.Equal(got, pep440Order) {
		t.Errorf("Sort = %v\nwant %v", got, pep440Order)
	}
	for i := 1; i < len(pep440Order); i++ {
		a, b := pep440Order[i-1], pep440Order[i]
		if c, err := SchemePEP440.Compare(a, b); err != nil || c >= 0 {
			t.Errorf("Compare(%s, %s) = %d, %v; want < 0", a, b, c, err)
		}
		if c, _ := SchemePEP440.Compare(b, a); c <= 0 {
			t.Errorf("Compare(%s, %s) = %d; want > 0", b, a, c)
		}
	}
}

// TestPEP440AgreesWithOSVScanner compares every pair of the table with the
// PyPI order osv-scanner uses, so check and the site judge as it does.
func TestPEP440AgreesWithOSVScanner(t *testing.T) {
	vs := append(slices.Clone(pep440Order), "1.0.0", "v1.0", "1.0-1", "1.0ALPHA1", "1.0c1", "1.0.preview2", "1.0-r3")
	for _, a := range vs {
		sa, err := semantic.Parse(a, "PyPI")
		if err != nil {
			t.Fatalf("oracle cannot parse %q: %v", a, err)
		}
		for _, b := range vs {
			want, err := sa.CompareStr(b)
			if err != nil {
				t.Fatal(err)
			}
			got, err := SchemePEP440.Compare(a, b)
			if err != nil || got != want {
				t.Errorf("Compare(%s, %s) = %d, %v; osv-scanner says %d", a, b, got, err, want)
			}
		}
	}
}

func TestPEP440Normalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"23.3", "23.3"},
		{"v1.0", "1.0"},
		{"1.0-1", "1.0.post1"},
		{"1.0ALPHA1", "1.0a1"},
		{"1.0alpha", "1.0a0"},
		{"1.0.beta.2", "1.0b2"},
		{"1.0c1", "1.0rc1"},
		{"1.0pre1", "1.0rc1"},
		{"1.0-preview-1", "1.0rc1"},
		{"1.0-r3", "1.0.post3"},
		{"1.0rev", "1.0.post0"},
		{"1.0_dev_4", "1.0.dev4"},
		{"1.0.0+Ubuntu-1_2", "1.0.0+ubuntu.1.2"},
		{"0!1.0", "1.0"},
		{"2!1.0", "2!1.0"},
	}
	for _, tt := range tests {
		got, err := SchemePEP440.Canonical(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, same := range [][2]string{{"1.0", "1.0.0"}, {"v1.0", "1.0"}, {"1.0-1", "1.0.post1"}, {"1.0+a-1", "1.0+a.1"}, {"1.0c1", "1.0rc1"}} {
		if c, err := SchemePEP440.Compare(same[0], same[1]); c != 0 || err != nil {
			t.Errorf("Compare(%s, %s) = %d, %v; want 0", same[0], same[1], c, err)
		}
	}
	for _, bad := range []string{"", " 1.0", "1.0 ", "one", "1.0+", "1.0+a..b", "1.0.x", "1..0", "3.14.0a1+", "1.0-dirty", "99999999999999999999999.0"} {
		if _, err := ParsePEP440(bad); err == nil {
			t.Errorf("ParsePEP440(%q) succeeded, want error", bad)
		}
		if _, err := SchemePEP440.Compare(bad, "1.0"); err == nil {
			t.Errorf("Compare(%q, 1.0) succeeded, want error", bad)
		}
	}
}

func TestScheme(t *testing.T) {
	if SchemeFor("PyPI") != SchemePEP440 || SchemeFor("GIT") != SchemeTags || SchemeFor("") != SchemeTags {
		t.Fatal("SchemeFor")
	}
	tests := []struct {
		s    Scheme
		a, b string
		want int
	}{
		{SchemeTags, "v3.9.0", "v3.10.0", -1},
		{SchemeTags, "v2.7", "2.7.0", 0},
		{SchemeTags, "v2.5c1", "2.5rc1", 0},
		{SchemeTags, "v3.13.0rc1", "v3.13.0", -1},
		{SchemePEP440, "23.2.1", "23.3", -1},
		{SchemePEP440, "0.2", "1.5.6", -1},
		{SchemePEP440, "23.3", "23.3.0", 0},
	}
	for _, tt := range tests {
		if got, err := tt.s.Compare(tt.a, tt.b); err != nil || got != tt.want {
			t.Errorf("%s.Compare(%s, %s) = %d, %v; want %d", tt.s, tt.a, tt.b, got, err, tt.want)
		}
	}
	if _, err := SchemeTags.Compare("1.0.post1", "1.0"); err == nil {
		t.Error("tags scheme accepted a post release")
	}
}

func FuzzPEP440(f *testing.F) {
	for _, s := range pep440Order {
		f.Add(s, "23.3")
	}
	f.Add("1.0-preview-1+Ubuntu_1", "v1!2.0.post3.dev4")
	f.Fuzz(func(t *testing.T, a, b string) {
		va, errA := ParsePEP440(a)
		vb, errB := ParsePEP440(b)
		if errA != nil || errB != nil {
			return
		}
		// The canonical spelling is a fixed point and the same version.
		r, err := ParsePEP440(va.String())
		if err != nil || r.String() != va.String() || r.Compare(va) != 0 {
			t.Fatalf("canonical %q of %q: %v", va.String(), a, err)
		}
		if va.Compare(vb) != -vb.Compare(va) {
			t.Fatalf("Compare not antisymmetric on %q %q", a, b)
		}
	})
}
