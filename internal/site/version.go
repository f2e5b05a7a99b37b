package site

import (
	"regexp"
	"strconv"
)

// releaseRe matches the release tags of CPython (v3.12.4, v3.13.0rc1,
// v2.5c1) and pip (23.3, 20.1b1).
var releaseRe = regexp.MustCompile(`^v?([0-9]{1,6})\.([0-9]{1,6})(?:\.([0-9]{1,6}))?(?:(a|b|c|rc)([0-9]{1,6}))?$`)

// versionKey orders releases: 3.9 < 3.10, a < b < rc (= c) < final.
type versionKey struct {
	ok                  bool
	major, minor, micro int
	pre, preN           int // pre: 0 a, 1 b, 2 rc, 3 final
	raw                 string
}

func parseVersion(tag string) versionKey {
	m := releaseRe.FindStringSubmatch(tag)
	if m == nil {
		return versionKey{raw: tag}
	}
	k := versionKey{ok: true, raw: tag, pre: 3}
	k.major, _ = strconv.Atoi(m[1])
	k.minor, _ = strconv.Atoi(m[2])
	k.micro, _ = strconv.Atoi(m[3])
	switch m[4] {
	case "a":
		k.pre = 0
	case "b":
		k.pre = 1
	case "c", "rc":
		k.pre = 2
	}
	k.preN, _ = strconv.Atoi(m[5])
	return k
}

// versionLess orders release tags; tags that are not releases sort after
// releases, by name.
func versionLess(a, b string) bool {
	ka, kb := parseVersion(a), parseVersion(b)
	if ka.ok != kb.ok {
		return ka.ok
	}
	if !ka.ok {
		return a < b
	}
	for _, d := range [...]int{
		ka.major - kb.major, ka.minor - kb.minor, ka.micro - kb.micro,
		ka.pre - kb.pre, ka.preN - kb.preN,
	} {
		if d != 0 {
			return d < 0
		}
	}
	return a < b // v3.12 and 3.12 and 3.12.0: stable by name
}

// branchLess orders branches: X.Y by version, "main" after every X.Y.
func branchLess(a, b string) bool {
	if (a == "main") != (b == "main") {
		return b == "main"
	}
	return versionLess(a, b)
}
