package cvss_test

import (
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/cvss"
)

// TestParse: the scores of the shared PSF records' vectors (as the records
// state them) and the vectors that must be refused.
func TestParse(t *testing.T) {
	for _, tt := range []struct {
		vector, version, severity string
		base                      float64
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L", "3.1", "CRITICAL", 9.4},                                  // CVE-2025-4517
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N", "3.1", "LOW", 3.3},                                       // CVE-2023-5752
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "3.0", "CRITICAL", 9.8},                                  // NVD's usual 3.0 vector
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "3.1", "NONE", 0},                                        // no impact
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/S:N/AU:N/R:U/RE:L", "4.0", "HIGH", 8.7}, // CVE-2024-8088
	} {
		s, err := cvss.Parse(tt.vector)
		if err != nil {
			t.Errorf("%s: %v", tt.vector, err)
			continue
		}
		if s.Version != tt.version || s.Base != tt.base || s.Severity != tt.severity || s.Vector != tt.vector {
			t.Errorf("%s: got %+v, want %s %.1f %s", tt.vector, s, tt.version, tt.base, tt.severity)
		}
		if s.V3() != strings.HasPrefix(tt.version, "3") {
			t.Errorf("%s: V3() = %v", tt.vector, s.V3())
		}
	}
	for _, bad := range []string{
		"", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L", "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L",
		"CVSS:4.0/AV:N", "CVSS:3.1/" + strings.Repeat("AV:N/", 200) + "A:L",
	} {
		if s, err := cvss.Parse(bad); err == nil {
			t.Errorf("%q: accepted as %+v", bad, s)
		}
	}
}

// FuzzParse: no input panics Parse, and what it accepts has a rating.
func FuzzParse(f *testing.F) {
	f.Add("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L")
	f.Add("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N")
	f.Fuzz(func(t *testing.T, v string) {
		s, err := cvss.Parse(v)
		if err == nil && (s.Severity == "" || s.Base < 0 || s.Base > 10) {
			t.Fatalf("%q: %+v", v, s)
		}
	})
}
