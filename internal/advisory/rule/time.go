package rule

import (
	"errors"
	"time"
)

// ParseTime parses an RFC 3339 UTC timestamp in the strict form records use,
// like "2024-08-19T19:06:45Z".
func ParseTime(s string) (time.Time, error) {
	if !isRFC3339UTC(s) {
		return time.Time{}, errors.New("not an RFC 3339 UTC time")
	}
	return time.Parse(time.RFC3339Nano, s)
}

// isRFC3339UTC reports whether s has the one timestamp form of sources and
// records: date, T, two-digit time fields, optional fraction of 1 to 9
// digits, Z (YYYY-MM-DDTHH:MM:SS[.F]Z; Go's parser alone also takes
// one-digit hours and other zones).
func isRFC3339UTC(s string) bool {
	const form = "dddd-dd-ddTdd:dd:dd" // d: a digit; anything else: itself
	if len(s) < len(form)+1 || s[len(s)-1] != 'Z' {
		return false
	}
	for i := range len(form) {
		if form[i] == 'd' && !isDigit(s[i]) || form[i] != 'd' && s[i] != form[i] {
			return false
		}
	}
	fraction := s[len(form) : len(s)-1]
	if fraction == "" {
		return true
	}
	return fraction[0] == '.' && len(fraction) <= 10 && allDigits(fraction[1:])
}

// Earliest is the earliest credible date of an advisory: Python's first
// public release.
var Earliest = time.Date(1991, 2, 20, 0, 0, 0, 0, time.UTC)

// DateProblem says why t is not a credible advisory date ("" when it is):
// before Python existed, or after now (not checked when now is zero). The
// IDs are numbered by the year of publication, so assign-ids holds the
// published date to the same rule lint does.
func DateProblem(t, now time.Time) string {
	if t.Before(Earliest) {
		return "is before Python's first release; check the year"
	}
	if !now.IsZero() && t.After(now) {
		return "is in the future"
	}
	return ""
}
