package version

import (
	"fmt"
	"strings"

	pep440 "github.com/aquasecurity/go-pep440-version"
)

// PEP440Version is a version of a PyPI package (pip 23.3, 10.0.0b1,
// 1.0.post2, 2!1.0.dev3+local.7), ordered as PEP 440 orders them.
type PEP440Version struct {
	// Raw is the version as written.
	Raw string
	// canon is the normalized spelling; comparisons parse it afresh so a
	// value can be shared between goroutines.
	canon string
}

// ParsePEP440 reads a PEP 440 version, accepting the spellings PEP 440
// normalizes (a leading v, alpha/beta/c/pre/preview, -1 for .post1,
// separators - _ .).
func ParsePEP440(s string) (PEP440Version, error) {
	if s != strings.TrimSpace(s) || s == "" {
		return PEP440Version{}, fmt.Errorf("%q is not a PEP 440 version (want e.g. 23.3, 10.0.0b1, 1.0.post1; no surrounding space)", s)
	}
	v, err := pep440.Parse(normalizeLocal(s))
	if err != nil {
		return PEP440Version{}, fmt.Errorf("%q is not a PEP 440 version (want e.g. 23.3, 10.0.0b1, 1.0.post1, 1.0.dev2)", s)
	}
	return PEP440Version{Raw: s, canon: v.String()}, nil
}

// normalizeLocal spells the separators of a local segment as dots
// (1.0+ubuntu-1 is 1.0+ubuntu.1) and lowercases it, as PEP 440 normalizes.
func normalizeLocal(s string) string {
	pub, local, ok := strings.Cut(s, "+")
	if !ok {
		return s
	}
	return pub + "+" + strings.ToLower(strings.NewReplacer("-", ".", "_", ".").Replace(local))
}

// String is the normalized spelling (1.0-1 is 1.0.post1, 1.0ALPHA is 1.0a0).
func (v PEP440Version) String() string { return v.canon }

// Compare orders two versions by PEP 440: negative when v < w, zero when
// they are the same version (1.0 = 1.0.0 = v1.0), positive when v > w.
func (v PEP440Version) Compare(w PEP440Version) int {
	a, errA := pep440.Parse(v.canon)
	b, errB := pep440.Parse(w.canon)
	if errA != nil || errB != nil {
		// Only the zero value gets here; it sorts first.
		return strings.Compare(v.canon, w.canon)
	}
	return a.Compare(b)
}

// IsPrerelease reports whether the version is an alpha, beta, candidate or
// development release.
func (v PEP440Version) IsPrerelease() bool {
	p, err := pep440.Parse(v.canon)
	return err == nil && p.IsPreRelease()
}
