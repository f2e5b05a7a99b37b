package site

import (
	"strconv"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
)

// Caps that keep a hostile or broken record from making pages huge.
const (
	maxTitle      = 300
	maxList       = 200  // components, aliases, CWEs, credits, references
	maxVersions   = 5000 // affected versions listed on a page
	maxShortField = 500  // a component, alias, credit name or URL
)

func severityKey(s string) string {
	for _, k := range advisory.Severities {
		if s == k {
			return k
		}
	}
	return "unknown"
}

func severityLabel(k string) string {
	switch k {
	case "low":
		return "Low"
	case "medium":
		return "Medium"
	case "high":
		return "High"
	case "critical":
		return "Critical"
	}
	return "Unrated"
}

// statusKey is a row's status as the page's CSS class and search.js's
// STATUS table spell it (lock's release-status table), "unknown" for a
// value outside it.
func statusKey(s string) string {
	if lock.ValidStatus(s) {
		return s
	}
	return "unknown"
}

// statusLabel is what the page says of a row's status (lock.StatusLabel).
func statusLabel(s string) string { return lock.StatusLabel(s) }

func refTypeLabel(t string) string {
	for _, k := range advisory.ReferenceTypes {
		if t == k {
			return strings.ToLower(k)
		}
	}
	return "web"
}

func creditTypeLabel(t string) string {
	for _, k := range advisory.CreditTypes {
		if t == k {
			return strings.ReplaceAll(strings.ToLower(k), "_", " ")
		}
	}
	return ""
}

// day is the date part of an RFC 3339 time, for display.
func day(ts string) string {
	if len(ts) >= 10 && ts[4] == '-' && ts[7] == '-' {
		return ts[:10]
	}
	return clip(ts, 40)
}

// displayVersion shows a release tag as people write the version: v3.12.4
// is 3.12.4.
func displayVersion(tag string) string {
	if len(tag) > 1 && tag[0] == 'v' && tag[1] >= '0' && tag[1] <= '9' {
		return clip(tag[1:], 60)
	}
	return clip(tag, 60)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// clipList caps a list and its entries. It returns in itself (no copy) when
// nothing needs cutting, so summaries share the record's memory.
func clipList(in []string) []string {
	if len(in) > maxList {
		in = in[:maxList]
	}
	long := false
	for _, s := range in {
		long = long || len(s) > maxShortField
	}
	if !long {
		return in
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, clip(s, maxShortField))
	}
	return out
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }
