package osv_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/psf/advisory-builder/internal/golden"

	"github.com/psf/advisory-builder/internal/osv"
)

// TestMessagesGolden keeps every message an advisory author can get from
// Validate and ValidateStrict for the bad records of this package's tables
// in testdata/messages.txtar, one file per case, so wording changes are
// reviewed. Run with -update to rewrite it.
func TestMessagesGolden(t *testing.T) {
	ar := &txtar.Archive{Comment: []byte("Problems reported for each bad record of validate_test.go (go test ./internal/osv/ -run MessagesGolden -update).\n")}
	add := func(table, name string, err error) {
		var buf bytes.Buffer
		var verr *osv.ValidationError
		if !errors.As(err, &verr) {
			fmt.Fprintf(&buf, "not a *ValidationError: %v\n", err)
		} else {
			for _, p := range verr.Problems {
				buf.WriteString(p.String() + "\n")
			}
		}
		ar.Files = append(ar.Files, txtar.File{Name: table + "/" + name, Data: buf.Bytes()})
	}
	for _, c := range badCases {
		add("schema", c.name, osv.Validate(edited(t, baseOf(c), c.edits...)))
	}
	for _, c := range strictCases {
		add("strict", c.name, osv.ValidateStrict(edited(t, baseOf(c), c.edits...)))
	}
	golden.Archive(t, filepath.Join("testdata", "messages.txtar"), ar)
}

func baseOf(c badCase) string {
	if c.base == "" {
		return baseRecord
	}
	return c.base
}
