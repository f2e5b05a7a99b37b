package cverecord

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestBreaks: breaks answers as the length check it guards (the
// character count outside [min, max]) for the bounds Limits uses and
// strings of one- and multi-byte characters around them.
func TestBreaks(t *testing.T) {
	var strs []string
	for _, unit := range []string{"x", "é", "€", "😀"} {
		for _, n := range []int{0, 1, 2, 3, 4, 5, 8, 9, 10, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 4095, 4096, 4097} {
			strs = append(strs, strings.Repeat(unit, n))
		}
	}
	strs = append(strs, "\xff", "a\xffb", strings.Repeat("\xff", 4097))
	for _, s := range strs {
		n := utf8.RuneCountInString(s)
		for _, min := range []int{0, 1} {
			for _, max := range []int{MaxCWEID, MaxVersionType, MaxTitle, MaxVersion, MaxURL, MaxText} {
				if got, want := breaks(s, min, max), n < min || n > max; got != want {
					t.Errorf("breaks(%d bytes, %d characters, %d, %d) = %v, want %v", len(s), n, min, max, got, want)
				}
			}
		}
	}
}
