package rule

import (
	"regexp"
	"strings"
	"testing"
)

// The patterns IsCommit, IsBranch and isRFC3339UTC match by hand, as
// regular expressions: the oracle the hand-written matchers must agree with.
var (
	commitOracle  = regexp.MustCompile(`^` + CommitPattern + `$`)
	branchOracle  = regexp.MustCompile(`^(main|` + BranchPattern + `)$`)
	psfIDOracle   = regexp.MustCompile(`^PSF-([0-9]{4})-([1-9][0-9]{0,8})$`)
	rfc3339Oracle = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$`)
)

// byHandCases are inputs near each pattern's edges.
var byHandCases = []string{
	"", "main", "mainx", "3.12", "3.", ".12", "3.12.1", "03.012", "3..12", "3.1a", "v3.12",
	strings.Repeat("a", 40), strings.Repeat("f", 40), strings.Repeat("0", 40), strings.Repeat("g", 40),
	strings.Repeat("A", 40), strings.Repeat("a", 39), strings.Repeat("a", 41), strings.Repeat("a", 39) + "\n",
	"2024-08-19T19:06:45Z", "2024-08-19T19:06:45.1Z", "2024-08-19T19:06:45.123456789Z",
	"2024-08-19T19:06:45.1234567890Z", "2024-08-19T19:06:45.Z", "2024-08-19T19:06:45", "2024-08-19T19:06:45z",
	"2024-08-19 19:06:45Z", "2024-8-19T19:06:45Z", "2024-08-19T19:06:45+00:00", "2024-08-19T19:06:45Z\n",
	"PSF-2024-1", "PSF-2024-0", "PSF-2024-01", "PSF-2024-999999999", "PSF-2024-1000000000", "PSF-0000-1", "PSF-202-1",
	"PSF-20245-1", "PSF-2024-", "PSF-2024-1a", "psf-2024-1", "PSF-2024_1", "PSF-2024-1\n", "PSF-٢٠٢٤-1",
	"2024-08-19T19:06:45.1aZ", "0000-00-00T00:00:00Z", "2024-08-19T19:06:45ZZ", "٣.١٢",
}

// TestByHandMatchesOracle: every hand-written matcher answers as its
// regular expression does (splitID with the same submatches).
func TestByHandMatchesOracle(t *testing.T) {
	for _, s := range byHandCases {
		checkByHand(t, s)
	}
}

// FuzzByHand holds the hand-written matchers to their regular expressions
// on any input.
func FuzzByHand(f *testing.F) {
	for _, s := range byHandCases {
		f.Add(s)
	}
	f.Fuzz(checkByHand)
}

func checkByHand(t *testing.T, s string) {
	if got, want := IsCommit(s), commitOracle.MatchString(s); got != want {
		t.Errorf("IsCommit(%q) = %v, the pattern says %v", s, got, want)
	}
	if got, want := IsBranch(s), branchOracle.MatchString(s); got != want {
		t.Errorf("IsBranch(%q) = %v, the pattern says %v", s, got, want)
	}
	y, n, ok := splitID(s)
	if m := psfIDOracle.FindStringSubmatch(s); (m != nil) != ok || m != nil && (m[1] != y || m[2] != n) {
		t.Errorf("splitID(%q) = %q, %q, %v; the pattern says %q", s, y, n, ok, m)
	}
	if got, want := isRFC3339UTC(s), rfc3339Oracle.MatchString(s); got != want {
		t.Errorf("isRFC3339UTC(%q) = %v, the pattern says %v", s, got, want)
	}
}
