package rule

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxTitle is the longest title (OSV summary) allowed, in characters.
const MaxTitle = 120

// RuneProblem says why r must not appear in advisory text, or "" when it may.
// Tab and newline are allowed (fields that must be one line say so
// themselves). Refused, as a class: control characters (Cc), format
// characters (Cf: bidirectional controls, zero-width characters, the soft
// hyphen, invisible operators, tag characters), default-ignorable code points
// (Hangul fillers, the combining grapheme joiner), variation selectors,
// private-use characters (Co), surrogates (Cs), noncharacters, the line and
// paragraph separators (Zl, Zp) and U+FFFD, the mark of a broken encoding:
// all of them hide or disguise text from a reviewer or steer a terminal.
func RuneProblem(r rune) string {
	switch {
	case r >= ' ' && r < 0x7F, r == '\t' || r == '\n': // printable ASCII: the common case
		return ""
	case r == 0:
		return "NUL character; remove it"
	case r == utf8.RuneError:
		return "invalid UTF-8 or U+FFFD (the mark of a broken encoding); save the text as UTF-8"
	case unicode.Is(unicode.Cc, r):
		return fmt.Sprintf("control character U+%04X; remove it", r)
	case isBidi(r):
		return fmt.Sprintf("bidirectional control character U+%04X can make text read differently than it is; remove it", r)
	case isZeroWidth(r):
		return fmt.Sprintf("invisible zero-width character U+%04X; remove it", r)
	case unicode.In(r, unicode.Zl, unicode.Zp):
		return fmt.Sprintf("line or paragraph separator U+%04X; use a plain newline", r)
	case unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector):
		return fmt.Sprintf("invisible or formatting character U+%04X (%s); remove it", r, invisibleKind(r))
	case unicode.In(r, unicode.Co, unicode.Cs, unicode.Noncharacter_Code_Point):
		return fmt.Sprintf("private-use, surrogate or noncharacter code point U+%04X; remove it", r)
	}
	return ""
}

// TextProblem returns the problem of the first character of s that
// RuneProblem refuses, or "". Invalid UTF-8 is refused too.
func TextProblem(s string) string {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return "invalid UTF-8; save the text as UTF-8"
			}
		}
		if p := RuneProblem(r); p != "" {
			return p
		}
	}
	return ""
}

func isBidi(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' ||
		(r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

func isZeroWidth(r rune) bool {
	return (r >= '\u200B' && r <= '\u200D') || r == '\u2060' || r == '\uFEFF' || r == '\u180E'
}

func invisibleKind(r rune) string {
	switch {
	case r >= 0xE0000 && r <= 0xE007F:
		return "a tag character"
	case unicode.Is(unicode.Variation_Selector, r):
		return "a variation selector"
	case r == '\u00AD':
		return "a soft hyphen"
	case r >= '\u2061' && r <= '\u2064':
		return "an invisible operator"
	case unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r):
		return "a filler that shows nothing"
	}
	return "it formats text instead of showing"
}

// SourceProblem refuses bytes no source file (an advisory, the products
// configuration) needs and that hide content from reviewers, comments
// included: invalid UTF-8, a BOM, and every character
// RuneProblem refuses (CR of CRLF line ends excepted). Escapes in
// quoted values are checked after decoding (TextProblem). It returns the
// 1-based line and column (in characters) of the first offender.
func SourceProblem(data []byte) (line, col int, msg string) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		if c := data[i]; c >= ' ' && c < 0x7F { // printable ASCII: no problem, no line end
			i++
			col++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col, "invalid UTF-8; save the file as UTF-8"
		}
		if m := badRune(r, i == 0); m != "" {
			return line, col, m
		}
		i += size
		if r == '\n' || (r == '\r' && (i == len(data) || data[i] != '\n')) {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return 0, 0, ""
}

func badRune(r rune, first bool) string {
	switch {
	case r == '\uFEFF' && first:
		return "byte order mark at the start of the file; save it as UTF-8 without BOM"
	case r == '\r':
		return "" // CRLF line ends; YAML reads them as newlines
	}
	return RuneProblem(r)
}

// LineProblem says why s cannot be a one-line field (a title, a credit's
// name, a component, a CWE name), or "". The message reads after the
// field's name ("title must be one line"). On top of what TextProblem
// refuses, a one-line field holds no line break and no tab; its only space
// is the plain space U+0020, never at either end: the no-break, narrow,
// thin, hair, ideographic, Ogham and other Unicode spaces and the blank
// braille pattern U+2800 look like a space or like nothing and make two
// names that read the same differ. It is in Unicode normal form C (an
// accented letter written as one character, é, not e and U+0301), and a
// combining mark follows a letter or another mark: never the start, a
// space, a digit or punctuation, where it changes what a reader sees of
// the character before it.
func LineProblem(s string) string {
	if strings.ContainsAny(s, "\r\n\u0085") {
		return "must be one line"
	}
	prev := rune(-1)
	for _, r := range s {
		if p := lineRuneProblem(r, prev); p != "" {
			return p
		}
		prev = r
	}
	if p := TextProblem(s); p != "" {
		return "holds " + p
	}
	if strings.TrimSpace(s) != s {
		return "has leading or trailing spaces; remove them"
	}
	if !norm.NFC.IsNormalString(s) {
		return "holds a letter followed by a separate combining mark; write the accented letter as one character (Unicode NFC: é, not e and U+0301)"
	}
	return ""
}

// lineRuneProblem is the problem of r, after prev (-1 at the start), in a
// one-line field.
func lineRuneProblem(r, prev rune) string {
	switch {
	case r == '\t':
		return "holds a tab; use a plain space"
	case r != ' ' && unicode.IsSpace(r):
		return fmt.Sprintf("holds U+%04X, a space other than the plain space U+0020 that looks like one; use a plain space", r)
	case r == '\u2800':
		return "holds U+2800, a blank braille pattern that shows as empty space; remove it"
	case unicode.Is(unicode.M, r) && (prev < 0 || !unicode.In(prev, unicode.L, unicode.M)):
		return fmt.Sprintf("holds combining mark U+%04X %s, where it marks no letter and only disguises the text; remove it", r, afterWhat(prev))
	}
	return ""
}

func afterWhat(prev rune) string {
	if prev < 0 {
		return "at the start"
	}
	return fmt.Sprintf("after %q", prev)
}
