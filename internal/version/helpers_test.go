package version

import (
	"fmt"

	"github.com/Masterminds/semver/v3"
)

// MustParse is Parse for constants in tests and tables; it panics on error.
func MustParse(tag string) Version {
	v, err := Parse(tag)
	if err != nil {
		panic(err)
	}
	return v
}

// semverOf returns the version as a semantic version (3.13.0-rc.1): the
// tests check that Compare agrees with SemVer's order.
func semverOf(v Version) *semver.Version {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	if v.Kind != Final {
		s += fmt.Sprintf("-%s.%d", kindNames[v.Kind], v.Pre)
	}
	return semver.MustParse(s)
}

// BranchOf returns the X.Y branch of a release tag, or "" when the tag is
// not a release tag.
func BranchOf(tag string) string {
	v, err := Parse(tag)
	if err != nil {
		return ""
	}
	return v.Branch()
}
