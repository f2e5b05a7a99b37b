package osvimport

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// databaseSpecific refuses the first database_specific key, in sorted order
// (so the message is the same on every run), that is not one of allowed.
func databaseSpecific(ds map[string]any, allowed ...string) error {
	for _, k := range slices.Sorted(maps.Keys(ds)) {
		if !slices.Contains(allowed, k) {
			return fmt.Errorf("database_specific.%s is not supported; only %s", k, strings.Join(allowed, ", "))
		}
	}
	return nil
}
