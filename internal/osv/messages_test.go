package osv_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/psf/advisory-builder/internal/osv"
)

var update = flag.Bool("update", false, "rewrite testdata/messages.txtar from the current messages")

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
	got := txtar.Format(ar)
	path := filepath.Join("testdata", "messages.txtar")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("messages differ from %s (run with -update and review the diff):\n%s", path, firstDiff(want, got))
	}
}

func baseOf(c badCase) string {
	if c.base == "" {
		return baseRecord
	}
	return c.base
}

// firstDiff shows the first differing line of want and got.
func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return ""
}
