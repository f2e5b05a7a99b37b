package rule

import (
	"errors"
	"regexp"
	"time"
)

// rfc3339UTC is the one timestamp form of sources and records: date, T,
// two-digit time fields, optional fraction, Z. (Go's parser alone also takes
// one-digit hours and other zones.)
var rfc3339UTC = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$`)

// ParseTime parses an RFC 3339 UTC timestamp in the strict form records use,
// like "2024-08-19T19:06:45Z".
func ParseTime(s string) (time.Time, error) {
	if !rfc3339UTC.MatchString(s) {
		return time.Time{}, errors.New("not an RFC 3339 UTC time")
	}
	return time.Parse(time.RFC3339Nano, s)
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
