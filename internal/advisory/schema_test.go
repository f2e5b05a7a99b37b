package advisory

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// editorSchema compiles schema/advisory.schema.json (the editor schema).
func editorSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../../schema/advisory.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("file:///advisory.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("file:///advisory.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateYAML(t *testing.T, s *jsonschema.Schema, src string) error {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

// TestEditorSchemaFacts: the repository's advisories (release facts
// included) satisfy the editor schema, and the schema refuses the fact
// combinations lint refuses.
func TestEditorSchemaFacts(t *testing.T) {
	s := editorSchema(t)
	files, _ := filepath.Glob("../../advisories/*/*.yaml")
	if len(files) == 0 {
		t.Fatal("no advisories")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := validateYAML(t, s, string(data)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	head := "id: PSF-2024-1\npublished: \"2024-01-01T00:00:00Z\"\ntitle: t\ndescription: d\nintroduced: \"0\"\nbranches:\n"
	for name, entry := range map[string]string{
		"facts without branch":       "  - first_affected: \"0\"\n    fixed_in: \"3.12.6\"\n",
		"status with fixed_in":       "  - branch: \"3.12\"\n    first_affected: \"0\"\n    status: unfixed\n    fixed_in: \"3.12.6\"\n",
		"fixed_in and last affected": "  - branch: \"3.12\"\n    first_affected: \"0\"\n    fixed_in: \"3.12.6\"\n    last_affected_in: \"3.12.5\"\n",
		"unknown status":             "  - branch: \"3.12\"\n    status: maybe\n",
		"tag spelling":               "  - branch: \"3.12\"\n    first_affected: \"0\"\n    fixed_in: v3.12.6\n",
	} {
		if err := validateYAML(t, s, head+entry); err == nil {
			t.Errorf("%s: the schema accepted\n%s", name, strings.TrimSpace(entry))
		}
	}
	ok := head + "  - branch: \"3.13\"\n    first_affected: 3.13.0a1\n    last_affected_in: 3.13.0rc1\n  - branch: \"3.7\"\n    status: not-affected\n"
	if err := validateYAML(t, s, ok); err != nil {
		t.Errorf("valid facts refused: %v", err)
	}
}
