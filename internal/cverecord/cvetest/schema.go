// Package cvetest validates CVE JSON 5 records against the CVE Record Format
// schema kept in the shared test data (read in place, never copied).
package cvetest

import (
	"bytes"
	"os"
	"testing"

	"github.com/psf/advisory-builder/internal/testenv"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema compiles the shared CVE Record Format schema (draft-07).
func Schema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	path := testenv.Shared(t, "cve", "CVE_Record_Format_bundled.json")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	if err := c.AddResource("file:///cve-schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("file:///cve-schema.json")
	if err != nil {
		t.Fatalf("compiling %s: %v", path, err)
	}
	return s
}

// Validate checks one record's JSON against the schema.
func Validate(t testing.TB, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}
