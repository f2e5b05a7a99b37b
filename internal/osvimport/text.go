package osvimport

import (
	"encoding/json"
	"fmt"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/osv"
)

// checkText holds an imported record to the advisory character rules: every
// decoded key and string (the record is read with unknown fields refused, so
// its JSON form holds all of it), so an escape ("\u202e", "\e") counts as
// the character it writes. The error names the file and the field path.
func checkText(path string, v *osv.Vulnerability) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	var tree any
	if err := json.Unmarshal(data, &tree); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if at, msg := rule.ValueProblem(tree); msg != "" {
		return fmt.Errorf("%s: %s: %s; the source would carry it, so fix the record", path, at, msg)
	}
	return nil
}
