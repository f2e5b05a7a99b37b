package advisory

import "testing"

// TestSeveritySentence: one sentence, found anywhere (SeverityIn), or
// opening the text (SeverityOf, StripSeverity, which keeps a sentence
// naming a module).
func TestSeveritySentence(t *testing.T) {
	for _, tc := range []struct {
		text, in, of, stripped string
	}{
		{"There is a HIGH severity vulnerability affecting CPython.\n\nThe parser...", "high", "high", "The parser..."},
		{"  there is an low severity vulnerability affecting pip. Rest", "low", "low", "Rest"},
		{"There is a MEDIUM severity vulnerability affecting the email module.\nMore", "medium", "medium", "There is a MEDIUM severity vulnerability affecting the email module.\nMore"},
		{"Details first. There is a CRITICAL severity vulnerability affecting CPython.", "critical", "", "Details first. There is a CRITICAL severity vulnerability affecting CPython."},
		{"There is a HIGH severity vulnerability in CPython", "high", "", "There is a HIGH severity vulnerability in CPython"},
		{"There is a SEVERE severity vulnerability affecting CPython.", "", "", "There is a SEVERE severity vulnerability affecting CPython."},
		{"", "", "", ""},
	} {
		if got := SeverityIn(tc.text); got != tc.in {
			t.Errorf("SeverityIn(%q) = %q, want %q", tc.text, got, tc.in)
		}
		if got := SeverityOf(tc.text); got != tc.of {
			t.Errorf("SeverityOf(%q) = %q, want %q", tc.text, got, tc.of)
		}
		if got := StripSeverity(tc.text); got != tc.stripped {
			t.Errorf("StripSeverity(%q) = %q, want %q", tc.text, got, tc.stripped)
		}
	}
	if s := SeveritySentence("high", "CPython"); SeverityOf(s) != "high" || StripSeverity(s) != "" {
		t.Errorf("SeveritySentence does not read back: %q", s)
	}
}

func TestCVE(t *testing.T) {
	a := &Advisory{ID: "PSF-2024-1", Path: "advisories/python/PSF-2024-1.yaml", Aliases: []string{"GHSA-xxxx-yyyy-zzzz", "CVE-2024-6232"}}
	if id, err := a.CVE(); id != "CVE-2024-6232" || err != nil {
		t.Errorf("CVE() = %q, %v", id, err)
	}
	a.Aliases = nil
	if _, err := a.CVE(); err == nil || err.Error() != "advisories/python/PSF-2024-1.yaml: PSF-2024-1 has no CVE alias; reserve one (mail cna@python.org) and add it to aliases" {
		t.Errorf("CVE() without alias: %v", err)
	}
}
