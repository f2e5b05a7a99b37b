package cverecord

import (
	"encoding/json"
	"fmt"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// checkText holds a CVE record to the advisory character rules: every
// decoded key and string, so a JSON escape ("\u202e", "\u001b") counts as
// the character it writes. The error names the file and the field path.
func checkText(path string, data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return jsonError(path, data, err)
	}
	if at, msg := rule.ValueProblem(v); msg != "" {
		return fmt.Errorf("%s: %s: %s; a CVE record must not carry it", path, at, msg)
	}
	return nil
}
