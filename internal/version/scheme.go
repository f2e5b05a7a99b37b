package version

// Scheme is the version order of a product's releases. It is the one place
// that knows CPython tags from PyPI versions: callers holding a product ask
// SchemeFor its OSV ecosystem and compare through the scheme.
type Scheme int

const (
	// SchemeTags orders CPython-style release tags (v3.12.4, v2.5c1, v2.7).
	SchemeTags Scheme = iota
	// SchemePEP440 orders PyPI package versions (pip 0.2, 10.0.0b1, 23.3).
	SchemePEP440
)

// SchemeFor is the scheme of a product by its OSV ecosystem: PEP 440 for
// PyPI, release tags otherwise (GIT).
func SchemeFor(ecosystem string) Scheme {
	if ecosystem == "PyPI" {
		return SchemePEP440
	}
	return SchemeTags
}

// String names the scheme as the search index and docs name it.
func (s Scheme) String() string {
	if s == SchemePEP440 {
		return "pep440"
	}
	return "tags"
}

// Canonical checks a version in the scheme and returns its canonical
// spelling (3.13.0rc1 for v3.13.0rc1; 1.0.post1 for 1.0-1).
func (s Scheme) Canonical(v string) (string, error) {
	if s == SchemePEP440 {
		p, err := ParsePEP440(v)
		return p.String(), err
	}
	t, err := Parse(v)
	return t.String(), err
}

// Compare orders two versions of the scheme: negative when a < b, zero when
// they are the same release however spelled (v2.7 = 2.7.0, 2.5c1 = 2.5rc1),
// positive when a > b. It fails, naming the version, when one does not
// parse.
func (s Scheme) Compare(a, b string) (int, error) {
	if s == SchemePEP440 {
		pa, err := ParsePEP440(a)
		if err != nil {
			return 0, err
		}
		pb, err := ParsePEP440(b)
		if err != nil {
			return 0, err
		}
		return pa.Compare(pb), nil
	}
	ta, err := Parse(a)
	if err != nil {
		return 0, err
	}
	tb, err := Parse(b)
	if err != nil {
		return 0, err
	}
	return ta.CompareNumbers(tb), nil
}

// Sort orders versions of the scheme. Versions that do not parse sort
// first, by text; equal versions keep their order.
func (s Scheme) Sort(vs []string) { s.Parsed().Sort(vs) }

func compareText(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CompareNumbers orders by release number only: v2.7, 2.7 and 2.7.0 are
// equal, as are 2.5c1 and 2.5rc1.
func (v Version) CompareNumbers(w Version) int {
	for _, d := range [...]int{v.Major - w.Major, v.Minor - w.Minor, v.Patch - w.Patch, v.Kind - w.Kind, v.Pre - w.Pre} {
		if d != 0 {
			return sign(d)
		}
	}
	return 0
}
