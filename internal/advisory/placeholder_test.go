package advisory

import "testing"

func TestPlaceholder(t *testing.T) {
	for _, tc := range []struct {
		id                      string
		placeholder, unassigned bool
	}{
		{"PSF-0000-cookie-parser", true, true},
		{"PSF-0000-cve-2024-7592", true, true},
		{"PSF-0000-X", false, true},
		{"PSF-0000-", false, true},
		{"PSF-0000-a--b", false, true},
		{"PSF-2024-1", false, false},
		{"psf-0000-x", false, false},
		{"", false, false},
	} {
		if got := IsPlaceholder(tc.id); got != tc.placeholder {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", tc.id, got, tc.placeholder)
		}
		if got := Unassigned(tc.id); got != tc.unassigned {
			t.Errorf("Unassigned(%q) = %v, want %v", tc.id, got, tc.unassigned)
		}
	}
}
