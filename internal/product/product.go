// Package product reads the products configuration (advisories/products.yaml):
// each product's repository, release-tag pattern, OSV package and branch status.
package product

import (
	"slices"

	"github.com/psf/advisory-builder/internal/version"
)

// Product is one product the database covers.
type Product struct {
	// Name is the directory under advisories/ (python, pip).
	Name string `yaml:"-" json:"name"`
	// Title is the human name ("CPython", "pip").
	Title string `yaml:"title" json:"title"`
	// Repo is the https URL of the product's git repository.
	Repo string `yaml:"repo" json:"repo"`
	// TagPattern is the regular expression release tags match.
	TagPattern string `yaml:"tag_pattern" json:"tag_pattern"`
	// Package is the OSV package, or nil (CPython: GIT ranges only).
	Package *Package `yaml:"package,omitempty" json:"package,omitempty"`
	// Branches maps a branch ("main", "3.12") to its status.
	Branches map[string]string `yaml:"branches" json:"branches"`
}

// Package is an OSV package identity.
type Package struct {
	Ecosystem string `yaml:"ecosystem" json:"ecosystem"`
	Name      string `yaml:"name" json:"name"`
	PURL      string `yaml:"purl" json:"purl"`
}

// Branch statuses, as the Python devguide names them.
const (
	StatusFeature    = "feature"
	StatusPrerelease = "prerelease"
	StatusBugfix     = "bugfix"
	StatusSecurity   = "security"
	StatusEndOfLife  = "end-of-life"
)

// Maintained reports whether a branch with this status still receives
// security fixes.
func Maintained(status string) bool {
	switch status {
	case StatusFeature, StatusPrerelease, StatusBugfix, StatusSecurity:
		return true
	}
	return false
}

// Stable reports whether the configuration lists branch as released and
// still fixed (status bugfix or security): a branch whose releases people
// run and the release facts must speak for. A product with no branch
// statuses at all (known only from built records, as `check --dir` sees
// it) counts every branch as stable: nothing says a branch is not
// maintained, so facts that skip it cannot answer for it.
func (p *Product) Stable(branch string) bool {
	if p == nil {
		return false
	}
	if len(p.Branches) == 0 {
		return true
	}
	st := p.Branches[branch]
	return st == StatusBugfix || st == StatusSecurity
}

// Ecosystem is the OSV ecosystem name used for the product's records in the
// bundle: the package's ecosystem, or GIT when there is no package.
func (p *Product) Ecosystem() string {
	if p.Package != nil {
		return p.Package.Ecosystem
	}
	return "GIT"
}

// BranchNames are the configured branches, main first, then newest first.
func (p *Product) BranchNames() []string {
	out := make([]string, 0, len(p.Branches))
	for b := range p.Branches {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b string) int { return -version.CompareBranches(a, b) })
	return out
}
