package advisory

import (
	"fmt"
	"strings"
	"testing"
)

// TestLoadRefusesDecodedCharacters: the character rules hold for decoded
// values, so an escape in a double-quoted value is refused like the raw
// character, and the raw character is refused anywhere in the file (comments
// included). Each case names the code point the error must report.
func TestLoadRefusesDecodedCharacters(t *testing.T) {
	cases := []struct {
		escape string // as written inside a double-quoted YAML value
		r      rune   // the character it decodes to
	}{
		{`\u202E`, 0x202E}, // right-to-left override
		{`\e`, 0x1B},       // ESC, terminal sequences
		{`\0`, 0},          // NUL
		{`\a`, 0x07},
		{`\r`, '\r'},
		{`\x85`, 0x85},
		{`\N`, 0x85}, // YAML's next line
		{`\_`, 0xA0}, // no-break space is allowed: see the accepted list below
		{`\L`, 0x2028},
		{`\P`, 0x2029},
		{`\u3164`, 0x3164},      // Hangul filler
		{`\uFFA0`, 0xFFA0},      // halfwidth Hangul filler
		{`\u115F`, 0x115F},      // Hangul choseong filler
		{`\u00AD`, 0xAD},        // soft hyphen
		{`\U000E0041`, 0xE0041}, // tag letter A
		{`\U000E0001`, 0xE0001}, // language tag
		{`\uFE0F`, 0xFE0F},      // variation selector 16
		{`\uFE00`, 0xFE00},
		{`\U000E0100`, 0xE0100}, // variation selector 17
		{`\u2061`, 0x2061},      // function application
		{`\u2062`, 0x2062},
		{`\u2063`, 0x2063},
		{`\u2064`, 0x2064},
		{`\u180B`, 0x180B}, // Mongolian free variation selectors
		{`\u180C`, 0x180C},
		{`\u180D`, 0x180D},
		{`\u180E`, 0x180E},
		{`\u180F`, 0x180F},
		{`\u034F`, 0x34F},  // combining grapheme joiner
		{`\u200B`, 0x200B}, // zero-width space
		{`\u2066`, 0x2066},
		{`\uFEFF`, 0xFEFF},
		{`\uE000`, 0xE000},      // private use
		{`\U000F0000`, 0xF0000}, // supplementary private use
		{`\uFFFE`, 0xFFFE},      // noncharacter
		{`\u0600`, 0x600},       // Arabic number sign (Cf)
		{`\U0001D173`, 0x1D173}, // musical symbol begin beam (Cf)
	}
	for _, c := range cases {
		if c.r == 0xA0 {
			continue
		}
		t.Run(c.escape, func(t *testing.T) {
			doc := strings.Replace(valid, "title: Quadratic complexity parsing quoted cookie values",
				`title: "Safe `+c.escape+`exe.txt"`, 1)
			a, ds := Parse("advisories/python/PSF-2024-9.yaml", "python", []byte(doc))
			if a != nil || !ds.HasErrors() {
				t.Fatalf("title %q accepted", c.escape)
			}
			d := ds[0]
			if d.Line != 4 || d.Col != 8 || !strings.HasPrefix(d.Message, "title: ") {
				t.Errorf("got %d:%d %q, want 4:8 title: ...", d.Line, d.Col, d.Message)
			}
			if want := fmt.Sprintf("U+%04X", c.r); c.r != 0 && !strings.Contains(d.Message, want) {
				t.Errorf("message %q does not name %s", d.Message, want)
			}
		})
		t.Run("raw "+c.escape, func(t *testing.T) {
			if c.r == '\r' {
				return // a raw CR is a line end
			}
			doc := strings.Replace(valid, "Quadratic", "Quad"+string(c.r)+"ratic", 1)
			if a, ds := Parse("advisories/python/PSF-2024-9.yaml", "python", []byte(doc)); a != nil || !ds.HasErrors() {
				t.Errorf("raw U+%04X accepted", c.r)
			}
			doc = valid + "# comment " + string(c.r) + "\n"
			if a, ds := Parse("advisories/python/PSF-2024-9.yaml", "python", []byte(doc)); a != nil || !ds.HasErrors() {
				t.Errorf("raw U+%04X in a comment accepted", c.r)
			}
		})
	}
}

// TestLoadAcceptsOrdinaryText: the rules refuse a class, not text that
// merely looks unusual.
func TestLoadAcceptsOrdinaryText(t *testing.T) {
	for _, s := range []string{`\t`, `\_`, "Myllymäki", "日本語", "Ελληνικά", "עברית", "😀", "é", `caf\u00E9`} {
		doc := strings.Replace(valid, "title: Quadratic complexity parsing quoted cookie values", `title: "Safe `+s+` name"`, 1)
		if a, ds := Parse("advisories/python/PSF-2024-9.yaml", "python", []byte(doc)); a == nil {
			t.Errorf("title with %q refused: %v", s, ds)
		}
	}
}
