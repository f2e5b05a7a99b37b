package advisory

import "github.com/psf/advisory-builder/internal/advisory/rule"

// PlaceholderPrefix opens every placeholder ID (see rule.PlaceholderPrefix).
const PlaceholderPrefix = rule.PlaceholderPrefix

// IsPlaceholder reports whether id is a well-formed placeholder ID,
// PSF-0000-<slug>, which assign-ids replaces (the rule is rule.IsPlaceholder).
func IsPlaceholder(id string) bool { return rule.IsPlaceholder(id) }

// Unassigned reports whether id has not been given its final ID yet (the
// rule is rule.Unassigned). Publishing refuses it.
func Unassigned(id string) bool { return rule.Unassigned(id) }
