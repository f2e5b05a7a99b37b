package advisory

import "strings"

// yamlWords are the plain scalars YAML 1.1 or 1.2 tools read as booleans or
// nulls, in any letter case.
var yamlWords = []string{"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}

// readsAsNonText reports whether a plain scalar reads as something other
// than a string to YAML 1.1 or 1.2 tools: booleans and nulls of either
// version (yamlWords, case folded), integers (decimal with underscores, 0x,
// 0o and 0b), sexagesimal numbers (1:30:05), floats (with a dot or an
// exponent) and infinities. It is checked for every plain key and value of
// every source, so it reads the text once by hand; its tests hold it to the
// equivalent regular expression.
func readsAsNonText(s string) bool {
	for _, w := range yamlWords {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	if len(s) > 1 && s[0] == '0' && basedInteger(s[1:]) {
		return true
	}
	r := s
	if r != "" && (r[0] == '+' || r[0] == '-') {
		r = r[1:]
	}
	if len(r) > 0 && r[0] == '.' && (strings.EqualFold(r[1:], "inf") || strings.EqualFold(r[1:], "nan")) {
		return true
	}
	n := leadingNumber(r)
	rest := r[n:]
	switch {
	case n > 0 && rest == "":
		return true
	case n > 0 && rest[0] == ':':
		return sexagesimal(rest)
	case rest != "" && rest[0] == '.':
		return fraction(rest[1:])
	case n > 0 && (rest[0] == 'e' || rest[0] == 'E'):
		return exponent(rest[1:])
	}
	return false
}

// basedInteger reports whether s, after a leading 0, is a hexadecimal (x),
// octal (o) or binary (b) integer: the base letter in either case, then
// one or more of its digits or underscores.
func basedInteger(s string) bool {
	var digits string
	switch s[0] {
	case 'x', 'X':
		digits = "0123456789abcdefABCDEF_"
	case 'o', 'O':
		digits = "01234567_"
	case 'b', 'B':
		digits = "01_"
	default:
		return false
	}
	return len(s) > 1 && allOf(s[1:], digits)
}

// leadingNumber is the length of the digits and underscores opening s,
// starting with a digit (0 when s does not open with a digit).
func leadingNumber(s string) int {
	if s == "" || !isDigit(s[0]) {
		return 0
	}
	n := 1
	for n < len(s) && (isDigit(s[n]) || s[n] == '_') {
		n++
	}
	return n
}

// sexagesimal reports whether s is one or more ":N" groups (N one digit or
// two with the first at most 5), then optionally a dot and digits or
// underscores.
func sexagesimal(s string) bool {
	for s != "" && s[0] == ':' {
		s = s[1:]
		switch {
		case len(s) >= 2 && s[0] >= '0' && s[0] <= '5' && isDigit(s[1]):
			s = s[2:]
		case s != "" && isDigit(s[0]):
			s = s[1:]
		default:
			return false
		}
	}
	return s == "" || s[0] == '.' && allOf(s[1:], "0123456789_")
}

// fraction reports whether s, after a float's dot, is digits, dots and
// underscores, optionally followed by an exponent.
func fraction(s string) bool {
	n := 0
	for n < len(s) && (isDigit(s[n]) || s[n] == '.' || s[n] == '_') {
		n++
	}
	rest := s[n:]
	return rest == "" || (rest[0] == 'e' || rest[0] == 'E') && exponent(rest[1:])
}

// exponent reports whether s, after an e or E, is an optional sign and one
// or more digits.
func exponent(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return s != "" && allOf(s, "0123456789")
}

// allOf reports whether every byte of s is one of set.
func allOf(s, set string) bool {
	for i := range len(s) {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
