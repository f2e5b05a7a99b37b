// Package rule is the one home of the advisory model's value rules:
// identifiers (PSF, placeholder, CVE, GHSA, PYSEC, CWE), commit hashes and
// branch names, the RFC 3339 UTC time form, the link rule and the character
// rules of decoded text. Every package that checks, reads or shows such a
// value calls these; none keeps a copy. It imports nothing of the project, so
// the products configuration (which the model imports) can use it too.
package rule

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// MaxIDNumber is the largest N of an ID PSF-YYYY-N: nine digits, far below
// any integer overflow and far above any year's count of advisories.
const MaxIDNumber = 999_999_999

// PlaceholderPrefix opens every placeholder ID: year 0000 is never a final
// ID, so anything starting with it must not be published. A placeholder's
// slug holds at least one letter, so PSF-0000-5 is neither a placeholder nor
// an assigned ID: the two forms are disjoint.
const PlaceholderPrefix = "PSF-0000-"

// Fragments of the patterns below, for patterns that find identifiers inside
// longer text (commit messages, reference URLs, CVE problem types).
const (
	CommitPattern = `[0-9a-f]{40}`
	BranchPattern = `[0-9]+\.[0-9]+` // a maintenance branch X.Y
	slugPattern   = `[a-z0-9]+(-[a-z0-9]+)*`
)

// The patterns are compiled on first use, not when the program starts:
// every command pays for package initialisation, and most never match an
// ID (docs/benchmarks.md, "process start").
var (
	psfNumbered = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^PSF-[0-9]{4}-[1-9][0-9]*$`) })
	slug        = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^` + slugPattern + `$`) })
	cveID       = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,19}$`) })
	ghsaID      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$`) })
	pysecID     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^PYSEC-[0-9]{4}-[0-9]{1,9}$`) })
	cweID       = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^CWE-([1-9][0-9]{0,5})`) })
	safeName    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`) })
)

// ParseID splits an assigned ID PSF-YYYY-N into its year and number. ok is
// false for anything else, placeholders and numbers over MaxIDNumber
// included.
func ParseID(id string) (year, number int, ok bool) {
	y, n, ok := splitID(id)
	if !ok {
		return 0, 0, false
	}
	year, _ = strconv.Atoi(y)
	number, _ = strconv.Atoi(n)
	if year == 0 {
		return 0, 0, false // year 0000 opens placeholders, never a final ID
	}
	return year, number, true
}

// splitID splits an ID of the form PSF-YYYY-N (four digits, then one to
// nine digits not opening with 0) into its year and number; matched by
// hand, as sorting by ID asks it at every comparison.
func splitID(id string) (year, number string, ok bool) {
	rest, found := strings.CutPrefix(id, "PSF-")
	if !found || len(rest) < 6 || rest[4] != '-' {
		return "", "", false
	}
	year, number = rest[:4], rest[5:]
	if !allDigits(year) || !allDigits(number) || len(number) > 9 || number[0] == '0' {
		return "", "", false
	}
	return year, number, true
}

// IDProblem says what is wrong with an advisory ID, if anything: it must be
// PSF-YYYY-N (N at most MaxIDNumber) or a placeholder PSF-0000-<slug>.
func IDProblem(id string) string {
	_, _, assigned := ParseID(id)
	switch {
	case assigned || IsPlaceholder(id):
		return ""
	case Unassigned(id) && slug().MatchString(id[len(PlaceholderPrefix):]):
		return fmt.Sprintf("id %s: a placeholder slug must hold a letter (year 0000 is never a final ID); rename it like PSF-0000-tarfile-redos", id)
	case psfNumbered().MatchString(id):
		return fmt.Sprintf("id %s: the number is over %d, the largest ID number; write a placeholder PSF-0000-<slug> and let assign-ids number it", id, MaxIDNumber)
	}
	return fmt.Sprintf("id %q must be PSF-YYYY-N, or a placeholder PSF-0000-<slug> (lowercase words and dashes) until assign-ids runs", id)
}

// IsPlaceholder reports whether id is a well-formed placeholder ID,
// PSF-0000-<slug> (lowercase words and dashes, at least one letter), which
// assign-ids replaces.
func IsPlaceholder(id string) bool {
	return Unassigned(id) && IsSlug(id[len(PlaceholderPrefix):])
}

// Unassigned reports whether id has not been given its final ID yet: any ID
// opening with PlaceholderPrefix, well-formed or not. Publishing refuses it.
func Unassigned(id string) bool { return strings.HasPrefix(id, PlaceholderPrefix) }

// IsSlug reports whether s can follow PlaceholderPrefix: lowercase letters
// and digits joined by single dashes, with at least one letter (an all-digit
// slug would read as an ID number).
func IsSlug(s string) bool {
	return slug().MatchString(s) && strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz")
}

// IsCVE reports whether s is a CVE ID, CVE-YYYY-NNNN (4 to 19 digits).
func IsCVE(s string) bool { return cveID().MatchString(s) }

// IsGHSA reports whether s is a GitHub advisory ID, GHSA-xxxx-xxxx-xxxx.
func IsGHSA(s string) bool { return ghsaID().MatchString(s) }

// IsPYSEC reports whether s is a PyPI advisory ID, PYSEC-YYYY-N.
func IsPYSEC(s string) bool { return pysecID().MatchString(s) }

// IsCWE reports whether s is exactly a CWE ID, CWE-N (N from 1).
func IsCWE(s string) bool { n, rest := cwe(s); return n != "" && rest == "" }

// CWENumber returns N of a CWE ID CWE-N, or "" when s is not one.
func CWENumber(s string) string {
	if n, rest := cwe(s); rest == "" {
		return n
	}
	return ""
}

// LeadingCWE returns the CWE ID that opens s ("CWE-79: Improper ..." gives
// "CWE-79"), or "" when s does not open with one.
func LeadingCWE(s string) string {
	if n, rest := cwe(s); n != "" && (rest == "" || !isDigit(rest[0])) {
		return "CWE-" + n
	}
	return ""
}

func cwe(s string) (number, rest string) {
	m := cweID().FindStringSubmatch(s)
	if m == nil {
		return "", s
	}
	return m[1], s[len(m[0]):]
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// IsCommit reports whether s is a full 40-character lowercase commit hash
// (CommitPattern, matched by hand: it is checked for every commit of every
// advisory and lock entry).
func IsCommit(s string) bool {
	if len(s) != 40 {
		return false
	}
	for i := range len(s) {
		if !isDigit(s[i]) && (s[i] < 'a' || s[i] > 'f') {
			return false
		}
	}
	return true
}

// IsBranch reports whether s names a branch advisories may name: main or a
// maintenance branch X.Y (BranchPattern, matched by hand).
func IsBranch(s string) bool {
	if s == "main" {
		return true
	}
	major, minor, ok := strings.Cut(s, ".")
	return ok && allDigits(major) && allDigits(minor)
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// IsSafeName reports whether s can be one path element and one URL segment
// as it is: an ASCII letter or digit, then letters, digits, '.', '_' or '-',
// at most 100 in all.
func IsSafeName(s string) bool { return safeName().MatchString(s) }

// CompareIDs orders assigned IDs PSF-YYYY-N by year, then number
// (PSF-2023-5 before PSF-2023-10), before anything else, which is ordered
// by text.
func CompareIDs(a, b string) int {
	ya, na, oka := ParseID(a)
	yb, nb, okb := ParseID(b)
	switch {
	case oka && okb && ya != yb:
		return ya - yb
	case oka && okb && na != nb:
		return na - nb
	case oka != okb:
		if oka {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}
