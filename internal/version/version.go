// Package version parses the release tags of the products (CPython v3.13.0rc1,
// v2.5c1, v2.7; pip 20.1b1, 23.3) and orders them: 3.9 < 3.10 and
// a < b < rc (c) < final. PyPI products (pip) are also ordered by PEP 440
// (0.2, 1.0.post1, 1.0.dev1), through the product's Scheme.
package version

import (
	"fmt"
	"strings"
)

// Pre-release kinds, lowest first. A final release sorts after every
// pre-release of the same number.
const (
	Alpha = iota
	Beta
	Candidate
	Final
)

var kindNames = [...]string{Alpha: "a", Beta: "b", Candidate: "rc", Final: ""}

// Version is one parsed release tag.
type Version struct {
	// Raw is the tag as written (v3.13.0rc1).
	Raw string
	// Major, Minor and Patch are the release numbers; Patch is 0 when the
	// tag has two components (v2.7).
	Major, Minor, Patch int
	// HasPatch tells whether the tag wrote the third component.
	HasPatch bool
	// Kind is Alpha, Beta, Candidate or Final; Pre is the pre-release number.
	Kind, Pre int
}

// DefaultTagPattern matches release tags of both products.
const DefaultTagPattern = `^v?[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|c|rc)[0-9]+)?$`

// Parse reads a release tag. A leading "v" is optional; "c" is the old
// spelling of "rc". It accepts exactly
// ^v?([0-9]{1,9})\.([0-9]{1,9})(?:\.([0-9]{1,9}))?(?:(a|b|c|rc)([0-9]{1,9}))?$
// (TestParseMatchesPattern), read by hand: the resolver parses every
// release tag on every run, and sorting compares them many times.
func Parse(tag string) (Version, error) {
	v := Version{Raw: tag, Kind: Final}
	s, _ := strings.CutPrefix(tag, "v")
	var ok bool
	if v.Major, s, ok = number(s); !ok {
		return Version{}, notTag(tag)
	}
	if s, ok = strings.CutPrefix(s, "."); !ok {
		return Version{}, notTag(tag)
	}
	if v.Minor, s, ok = number(s); !ok {
		return Version{}, notTag(tag)
	}
	if rest, dot := strings.CutPrefix(s, "."); dot {
		if v.Patch, s, ok = number(rest); !ok {
			return Version{}, notTag(tag)
		}
		v.HasPatch = true
	}
	if s == "" {
		return v, nil
	}
	switch {
	case strings.HasPrefix(s, "rc"):
		v.Kind, s = Candidate, s[2:]
	case s[0] == 'a':
		v.Kind, s = Alpha, s[1:]
	case s[0] == 'b':
		v.Kind, s = Beta, s[1:]
	case s[0] == 'c':
		v.Kind, s = Candidate, s[1:]
	default:
		return Version{}, notTag(tag)
	}
	if v.Pre, s, ok = number(s); !ok || s != "" {
		return Version{}, notTag(tag)
	}
	return v, nil
}

// number reads 1 to 9 ASCII digits at the start of s and returns their
// value and the rest of s.
func number(s string) (n int, rest string, ok bool) {
	k := 0
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		if k == 9 {
			return 0, s, false
		}
		n = n*10 + int(s[k]-'0')
		k++
	}
	return n, s[k:], k > 0
}

func notTag(tag string) error {
	return fmt.Errorf("%q is not a release tag (want X.Y, X.Y.Z, optionally with a leading v and a suffix aN, bN, cN or rcN)", tag)
}

// Compare orders two versions: negative when v < w, zero when equal, positive
// when v > w. Versions equal as numbers (v2.7 and 2.7.0) are ordered by their
// raw text so that the order is total and deterministic.
func (v Version) Compare(w Version) int {
	if c := v.CompareNumbers(w); c != 0 {
		return c
	}
	return strings.Compare(v.Raw, w.Raw)
}

func sign(d int) int {
	if d < 0 {
		return -1
	}
	return 1
}

// Less reports whether v sorts before w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }

// Branch is the maintenance branch of the release: "3.12" for v3.12.4.
func (v Version) Branch() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// IsPrerelease reports whether the version is an alpha, beta or candidate.
func (v Version) IsPrerelease() bool { return v.Kind != Final }

// String is the canonical PEP 440 spelling without the "v" (3.13.0rc1, 2.7).
func (v Version) String() string {
	s := fmt.Sprintf("%d.%d", v.Major, v.Minor)
	if v.HasPatch {
		s += fmt.Sprintf(".%d", v.Patch)
	}
	if v.Kind != Final {
		s += fmt.Sprintf("%s%d", kindNames[v.Kind], v.Pre)
	}
	return s
}

// CompareBranches orders branch names: "main" after every X.Y, X.Y
// numerically (3.9 < 3.10), anything else by text before X.Y names.
func CompareBranches(a, b string) int {
	ka, kb := branchKey(a), branchKey(b)
	for i := range ka {
		if ka[i] != kb[i] {
			return sign(ka[i] - kb[i])
		}
	}
	return strings.Compare(a, b)
}

func branchKey(b string) [3]int {
	if b == "main" || b == "master" {
		return [3]int{2, 0, 0}
	}
	v, err := Parse(b)
	if err != nil || v.HasPatch || v.Kind != Final {
		return [3]int{0, 0, 0}
	}
	return [3]int{1, v.Major, v.Minor}
}

// Plain spells a release tag as a version: v3.12.4 -> 3.12.4, v2.5c1 ->
// 2.5rc1.
func Plain(tag string) string {
	if v, err := Parse(tag); err == nil {
		return v.String()
	}
	return strings.TrimPrefix(tag, "v")
}
