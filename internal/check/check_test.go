package check

import (
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/lock"
)

func TestParseInput(t *testing.T) {
	tests := []struct{ in, prod, wantProd, wantVer, wantErr string }{
		{"3.12.4", "", "python", "3.12.4", ""},
		{"v3.12.4", "", "python", "3.12.4", ""},
		{"  3.13.0rc1\n", "", "python", "3.13.0rc1", ""},
		{"Python 3.12.4 (main, Jun  6 2024, 18:26:44) [GCC 12.2.0]", "", "python", "3.12.4", ""},
		{"Python 3.13.0b2", "python", "python", "3.13.0b2", ""},
		{"pip 23.3 from /usr/lib/python3/dist-packages/pip (python 3.11)", "", "pip", "23.3", ""},
		{"23.3.1", "pip", "pip", "23.3.1", ""},
		{"v2.5c1", "", "python", "2.5rc1", ""},
		{"pip 23.3 from /x", "python", "", "", "is a pip version"},
		{"Python 3.14.0a1+ (heads/main:abc)", "", "", "", "development build"},
		{"3.12", "", "python", "3.12", ""},
		{"three", "", "", "", "unknown version format"},
		{"", "", "", "", "unknown version format"},
		{"3.12.4.1", "", "", "", "unknown version format"},
	}
	for _, tt := range tests {
		q, err := ParseInput(tt.in, tt.prod)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseInput(%q): %v, want error %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || q.Product != tt.wantProd || q.Version.String() != tt.wantVer {
			t.Errorf("ParseInput(%q) = %s %s, %v; want %s %s", tt.in, q.Product, q.Version, err, tt.wantProd, tt.wantVer)
		}
	}
}

func entries() []Entry {
	return []Entry{
		{ID: "PSF-2024-10", Product: "python", Title: "ten", Resolved: true,
			Versions: []string{"v3.12.0", "v3.12.1", "v3.12.2", "v3.13.0a1"},
			Branches: []lock.BranchResult{
				{Branch: "3.13", Status: lock.StatusFixed, FirstAffected: "v3.13.0a1", LastAffected: "v3.13.0a1", FixedIn: "v3.13.0a2"},
				{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.2", FixedIn: "v3.12.3"},
			}},
		{ID: "PSF-2024-9", Product: "python", Title: "nine", Resolved: true,
			Versions: []string{"v3.11.0", "v3.11.1", "v3.12.0"},
			Branches: []lock.BranchResult{
				{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.0", FixedIn: "v3.12.1"},
				{Branch: "3.11", Status: lock.StatusUnfixed, FirstAffected: "v3.11.0", LastAffected: "v3.11.1"},
			}},
		{ID: "PSF-2024-8", Product: "python", Withdrawn: true, Versions: []string{"v3.12.0"}},
		{ID: "PSF-2024-7", Product: "pip", Versions: []string{"3.12.0"}},
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		ver  string
		want string // id:fixed_in ...
	}{
		{"3.12.0", "PSF-2024-9:3.12.1 PSF-2024-10:3.12.3"}, // numeric ID order; withdrawn and pip skipped
		{"3.12.1", "PSF-2024-10:3.12.3"},
		{"3.12.3", ""},
		{"3.12.99", ""},           // after the fix
		{"3.11.1", "PSF-2024-9:"}, // unfixed branch
		{"3.11.7", "PSF-2024-9:"}, // newer than the lock's tags, still unfixed
		{"3.10.0", ""},            // never affected
		{"3.13.0a1", "PSF-2024-10:3.13.0a2"},
		{"3.13.0", ""},
	}
	for _, tt := range tests {
		q, err := ParseInput(tt.ver, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range Check(entries(), q) {
			got = append(got, f.ID+":"+f.FixedIn)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("Check(%s) = %v, want %s", tt.ver, got, tt.want)
		}
	}
}

// TestLockBehindRelease: a release newer than the lock's last affected tag
// of a fixed branch, but before the fix, counts as affected.
func TestLockBehindRelease(t *testing.T) {
	e := []Entry{{ID: "PSF-2025-1", Product: "python", Versions: []string{"v3.14.0"},
		Branches: []lock.BranchResult{{Branch: "3.14", Status: lock.StatusFixed, FirstAffected: "v3.14.0", LastAffected: "v3.14.0", FixedIn: "v3.14.2"}}}}
	q, _ := ParseInput("3.14.1", "")
	if got := Check(e, q); len(got) != 1 || got[0].FixedIn != "3.14.2" {
		t.Fatalf("got %+v", got)
	}
}

func FuzzParseInput(f *testing.F) {
	for _, s := range []string{"3.12.4", "Python 3.12.4 (main)", "pip 23.3 from x", "v2.5c1", "3.14.0a1+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseInput(s, "")
		if err == nil {
			Check(entries(), q)
		}
	})
}

func TestUnresolved(t *testing.T) {
	es := append(entries(), Entry{ID: "PSF-2025-2", Product: "python"}, Entry{ID: "PSF-2025-10", Product: "python"})
	if got := strings.Join(Unresolved(es, "python"), " "); got != "PSF-2025-2 PSF-2025-10" {
		t.Errorf("Unresolved = %s", got)
	}
}
