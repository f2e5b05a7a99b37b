package advisory

import (
	"regexp"
	"strings"
)

// PlaceholderPrefix opens every placeholder ID: year 0000 is never a final
// ID, so anything starting with it must not be published.
const PlaceholderPrefix = "PSF-0000-"

var placeholderID = regexp.MustCompile(`^PSF-0000-[a-z0-9]+(-[a-z0-9]+)*$`)

// IsPlaceholder reports whether id is a well-formed placeholder ID,
// PSF-0000-<slug> (lowercase words and dashes), which assign-ids replaces.
func IsPlaceholder(id string) bool { return placeholderID.MatchString(id) }

// Unassigned reports whether id has not been given its final ID yet: any ID
// opening with PlaceholderPrefix, well-formed or not. Publishing refuses it.
func Unassigned(id string) bool { return strings.HasPrefix(id, PlaceholderPrefix) }
