package osvimport

import (
	"strings"
	"testing"
)

func TestDeriveTitle(t *testing.T) {
	for _, tc := range []struct{ details, want string }{
		{"There is a MEDIUM severity vulnerability affecting CPython.\n\nThe email module didn't quote newlines in headers. Upgrade.",
			"The email module didn't quote newlines in headers"},
		{"There is a LOW severity vulnerability affecting pip. A flaw.", "A flaw"},
		// A sentence naming a module says more than the boilerplate: kept.
		{"There is a LOW severity vulnerability affecting CPython, specifically the 'http.cookies' module. More.",
			"There is a LOW severity vulnerability affecting CPython, specifically the 'http.cookies' module"},
		// Only the boilerplate: better than nothing.
		{"There is a HIGH severity vulnerability affecting CPython.", "There is a HIGH severity vulnerability affecting CPython"},
		{"Plain first sentence. Second.", "Plain first sentence"},
		{strings.Repeat("word ", 40), strings.TrimSpace(strings.Repeat("word ", 23)) + "…"},
	} {
		if got := DeriveTitle(tc.details); got != tc.want {
			t.Errorf("DeriveTitle(%.40q) = %q, want %q", tc.details, got, tc.want)
		}
	}
}
