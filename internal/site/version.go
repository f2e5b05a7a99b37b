package site

import "github.com/psf/advisory-builder/internal/version"

// branchLess orders branches: X.Y by version, "main" after every X.Y.
func branchLess(a, b string) bool { return version.CompareBranches(a, b) < 0 }
