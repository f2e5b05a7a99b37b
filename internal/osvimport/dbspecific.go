package osvimport

import (
	"fmt"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/osv"
)

// databaseSpecific refuses the first database_specific key, in sorted order
// (so the message is the same on every run), that is not one of allowed.
func databaseSpecific(ds *osv.DatabaseSpecific, allowed ...string) error {
	for _, k := range ds.Keys() {
		if !slices.Contains(allowed, k) {
			return fmt.Errorf("database_specific.%s is not supported; only %s", k, strings.Join(allowed, ", "))
		}
	}
	return nil
}
