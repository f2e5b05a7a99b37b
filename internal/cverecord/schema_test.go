package cverecord_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/psf/advisory-builder/internal/cverecord/cvetest"
	"github.com/psf/advisory-builder/internal/testenv"
)

// TestSharedRecordsValidate checks the schema harness itself: the 15 real
// PSF records validate.
func TestSharedRecordsValidate(t *testing.T) {
	s := cvetest.Schema(t)
	files, _ := filepath.Glob(testenv.Shared(t, "cve", "records", "*.json"))
	if len(files) != 15 {
		t.Fatalf("want the 15 shared CVE records, found %d", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := cvetest.Validate(t, s, data); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
}
