package advisory

import (
	"regexp"
	"strings"
	"testing"
)

// nonTextOracle is readsAsNonText as a regular expression: plain scalars
// that YAML 1.1 or 1.2 tools read as booleans and nulls of either version,
// integers (decimal, octal, hex, binary, with underscores), sexagesimal
// numbers, floats (with a dot or an exponent) and infinities.
var nonTextOracle = regexp.MustCompile(`^(?:` + strings.Join([]string{
	`(?i:y|n|yes|no|on|off|true|false|null|~)`,
	`[-+]?\.(?i:inf|nan)`,
	`[-+]?[0-9][0-9_]*`,
	`[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?`,
	`[-+]?(?:[0-9][0-9_]*)?\.[0-9._]*(?:[eE][-+]?[0-9]+)?`,
	`[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+`,
	`0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+`,
}, "|") + `)$`)

// plainScalarCases are inputs near every edge of the pattern.
var plainScalarCases = []string{
	"", "y", "Y", "yes", "YES", "yeſ", "no", "On", "oFF", "true", "False", "NULL", "~", "~~", "yes!",
	".inf", "-.Inf", "+.NAN", ".in", "..inf", "+", "-", ".", "+.", "-.e5", ".e", ".5e", ".5e+", ".5e+1",
	"0", "12", "-12", "+1_000", "1_", "_1", "0777", "3.10", "3.12.4", "1.2.3e4", "1e5", "1E+5", "1e", "1e+",
	"1:30", "1:30:05", "1:60", "1:5", "1:05.5_", "1:5x", "1:", "1::2", "1:123", "1:7", "1:79", "-1:30",
	"0x", "0x1F", "0X_a", "0xg", "0o17", "0o8", "0b101", "0b2", "0B1", "+0x1", "00x1",
	"0b504d3af656617a50472bad76001dff4e638e6b", "97962e845927711e922130327117573154e44557",
	"391e5626e3ee5af267b97e37abc7475732e67621", "12e45", "1.0.0", "2024-08-19", "CVE-2024-1",
	"title", "https://example.org", "low", "١٢", "1 2",
}

// TestReadsAsNonText: the hand-written matcher answers as the pattern does.
func TestReadsAsNonText(t *testing.T) {
	for _, s := range plainScalarCases {
		checkReadsAsNonText(t, s)
	}
}

// FuzzReadsAsNonText holds readsAsNonText to its pattern on any input.
func FuzzReadsAsNonText(f *testing.F) {
	for _, s := range plainScalarCases {
		f.Add(s)
	}
	f.Fuzz(checkReadsAsNonText)
}

func checkReadsAsNonText(t *testing.T, s string) {
	if got, want := readsAsNonText(s), nonTextOracle.MatchString(s); got != want {
		t.Errorf("readsAsNonText(%q) = %v, the pattern says %v", s, got, want)
	}
}
