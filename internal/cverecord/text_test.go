package cverecord_test

import (
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/cverecord"
)

// minimalRecord is a published CVE record with every field Parse needs.
const minimalRecord = `{"dataType":"CVE_RECORD","dataVersion":"5.1",
"cveMetadata":{"cveId":"CVE-2024-1234","state":"PUBLISHED","datePublished":"2024-01-01T00:00:00Z"},
"containers":{"cna":{"title":"TITLE","descriptions":[{"lang":"en","value":"DESC"}],"affected":[{"product":"CPython"}]}}}`

// TestParseRefusesHiddenCharacters: a CVE record is held to the advisory
// character rules on decoded strings, so JSON escapes count.
func TestParseRefusesHiddenCharacters(t *testing.T) {
	if _, err := cverecord.Parse("x.json", []byte(minimalRecord)); err != nil {
		t.Fatalf("minimal record refused: %v", err)
	}
	for _, c := range []struct{ old, new, want string }{
		{"TITLE", `Safe \u202eexe.txt`, "x.json: containers.cna.title: bidirectional control character U+202E"},
		{"TITLE", `red \u001b[31m`, "containers.cna.title: control character U+001B"},
		{"DESC", `a\u0000b`, "containers.cna.descriptions[0].value: NUL"},
		{"DESC", `soft\u00adhyphen`, "U+00AD"},
		{"DESC", `\udb40\udc41`, "U+E0041"}, // tag letter A as a surrogate pair
		{"DESC", `x\ufe0f`, "U+FE0F"},
		{"DESC", `\u3164`, "U+3164"},
		{"DESC", `\u2062`, "U+2062"},
		{"DESC", `\u180b`, "U+180B"},
		{"CPython", `CPy\u200dthon`, "containers.cna.affected[0].product"},
		{`"title"`, `"ti\u2066tle"`, `containers.cna key "ti\u2066tle"`},
	} {
		data := strings.Replace(minimalRecord, c.old, c.new, 1)
		_, err := cverecord.Parse("x.json", []byte(data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one containing %q", c.new, err, c.want)
		}
	}
}
