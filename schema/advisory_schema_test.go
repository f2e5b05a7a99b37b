package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// root is the repository root, seen from this package's directory.
const root = ".."

func compileAdvisory(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.Advisory))
	if err != nil {
		t.Fatalf("advisory.schema.json is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://example.invalid/advisory.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("advisory.schema.json does not compile: %v", err)
	}
	return sch
}

// modelJSON is how the schema sees a loaded advisory: the model marshalled
// through its json tags.
func modelJSON(t testing.TB, a *advisory.Advisory) any {
	t.Helper()
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// severity and branches have no omitempty in the model: an absent key
	// marshals as "" or null, which the source file does not hold.
	if m, ok := v.(map[string]any); ok {
		if m["severity"] == "" {
			delete(m, "severity")
		}
		if b, ok := m["branches"]; ok && b == nil {
			delete(m, "branches")
		}
	}
	return v
}

// TestDatabaseValidates loads every advisory of the repository with the
// project loader and validates it against the editor schema; the database
// must also lint without errors.
func TestDatabaseValidates(t *testing.T) {
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	as, ds := advisory.LoadAll(root, cfg)
	if ds.HasErrors() {
		t.Fatalf("loading the database:\n%v", ds)
	}
	for _, name := range []string{"python", "pip"} {
		if !slices.ContainsFunc(as, func(a *advisory.Advisory) bool { return a.Product == name }) {
			t.Errorf("advisories/%s holds no advisory", name)
		}
	}
	sch := compileAdvisory(t)
	for _, a := range as {
		if err := sch.Validate(modelJSON(t, a)); err != nil {
			t.Errorf("%s: refused by the schema: %v", a.Path, err)
		}
	}
	for _, d := range lint.All(as, lint.Options{Now: time.Now(), Products: cfg}) {
		if d.Severity == diag.Error {
			t.Errorf("lint: %v", d)
		} else {
			t.Logf("lint: %v", d)
		}
	}
}

// TestSchemaMatchesModel keeps the schema and the Go model in step: the
// same keys at every level, a description on each, the same enumerations
// and the fields the loader requires.
func TestSchemaMatchesModel(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal(schema.Advisory, &s); err != nil {
		t.Fatal(err)
	}
	defs := s["$defs"].(map[string]any)
	objects := []struct {
		name string
		node map[string]any
		typ  reflect.Type
	}{
		{"advisory", s, reflect.TypeFor[advisory.Advisory]()},
		{"branch", defs["branch"].(map[string]any), reflect.TypeFor[advisory.Branch]()},
		{"credit", defs["credit"].(map[string]any), reflect.TypeFor[advisory.Credit]()},
		{"reference", defs["reference"].(map[string]any), reflect.TypeFor[advisory.Reference]()},
	}
	for _, o := range objects {
		if o.node["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties must be false", o.name)
		}
		props := o.node["properties"].(map[string]any)
		keys := yamlKeys(o.typ)
		var have []string
		for k, p := range props {
			have = append(have, k)
			if d, _ := p.(map[string]any)["description"].(string); d == "" {
				t.Errorf("%s.%s has no description", o.name, k)
			}
		}
		slices.Sort(have)
		if !slices.Equal(have, keys) {
			t.Errorf("%s: schema properties %v, model YAML keys %v", o.name, have, keys)
		}
	}
	props := s["properties"].(map[string]any)
	enum := func(node map[string]any) []string {
		var out []string
		for _, v := range node["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	credit := defs["credit"].(map[string]any)["properties"].(map[string]any)
	ref := defs["reference"].(map[string]any)["properties"].(map[string]any)
	branch := defs["branch"].(map[string]any)["properties"].(map[string]any)
	for _, e := range []struct {
		name      string
		got, want []string
	}{
		{"severity", enum(props["severity"].(map[string]any)), advisory.Severities},
		{"credit type", enum(credit["type"].(map[string]any)), advisory.CreditTypes},
		{"reference type", enum(ref["type"].(map[string]any)), advisory.ReferenceTypes},
		{"branch status (the release-status table)", enum(branch["status"].(map[string]any)), lock.FactStatuses()},
		{"platform", enum(props["platforms"].(map[string]any)["items"].(map[string]any)), advisory.Platforms},
		{"reference tag", enum(ref["tags"].(map[string]any)["items"].(map[string]any)), advisory.CVEReferenceTags},
	} {
		if !slices.Equal(e.got, e.want) {
			t.Errorf("%s enum %v, model %v", e.name, e.got, e.want)
		}
	}
	var required []string
	for _, r := range s["required"].([]any) {
		required = append(required, r.(string))
	}
	slices.Sort(required)
	// The fields advisory.checkShape requires (severity is optional for
	// imported historical records; lint warns).
	want := []string{"description", "id", "introduced", "published", "title"}
	if !slices.Equal(required, want) {
		t.Errorf("required %v, loader requires %v", required, want)
	}
}

func yamlKeys(t reflect.Type) []string {
	var keys []string
	for f := range t.Fields() {
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	slices.Sort(keys)
	return keys
}

// good is a complete advisory the loader, lint and the schema accept; the
// bad documents below each change one thing in it.
const good = `# yaml-language-server: $schema=../../schema/advisory.schema.json
id: PSF-2024-9
aliases: [CVE-2024-7592]
published: "2024-08-19T19:06:45Z"
title: Quadratic complexity when parsing quoted cookie values with backslashes
severity: low
cvss: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N"
cwes: [CWE-1333]
components: [http.cookies, http.cookies.SimpleCookie]
description: |
  Parsing is slow.
mitigations: |
  Limit the size of cookie headers.
introduced: "0"
branches:
  - branch: main
    fixed: 391e5626e3ee5af267b97e37abc7475732e67621
    pr: 123075
  - branch: "3.12"
    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06
credits:
  - name: Some Person
    type: FINDER
    contact: [https://example.org/person, mailto:person@example.org]
references:
  - type: REPORT
    url: https://github.com/python/cpython/issues/123067
notes: reviewer notes, never exported
`

// Who else refuses a document the schema refuses.
const (
	byLoader  = "loader"  // advisory.Parse returns errors
	byLint    = "lint"    // the loader accepts; lint reports an error
	byWarning = "warning" // the loader accepts; lint only warns
	byNone    = "none"    // the schema refuses, nothing else does (a gap)
)

var badDocs = []struct {
	name     string
	old, new string // replace old by new in good
	schema   bool   // the schema refuses it
	other    string // byLoader, byLint, byWarning or byNone
}{
	{"unknown field", "severity: low\n", "severity: low\nseverty: low\n", true, byLoader},
	{"misspelled branch key", "    pr: 123075\n", "    pull: 123075\n", true, byLoader},
	{"missing title", "title: Quadratic complexity when parsing quoted cookie values with backslashes\n", "", true, byLoader},
	{"missing introduced", "introduced: \"0\"\n", "", true, byLoader},
	{"missing severity", "severity: low\n", "", false, byWarning},
	{"empty description", "description: |\n  Parsing is slow.\n", "description: \"\"\n", true, byLoader},
	{"unquoted introduced 0", `introduced: "0"`, "introduced: 0", true, byLoader},
	{"unquoted branch 3.12", `branch: "3.12"`, "branch: 3.12", true, byLoader},
	{"unquoted boolean", "severity: low", "severity: yes", true, byLoader},
	{"null value", "severity: low", "severity: ~", true, byLoader},
	{"quoted pr", "pr: 123075", `pr: "123075"`, true, byLoader},
	{"mapping for text", "severity: low", "severity: {level: low}", true, byLoader},
	{"list for text", "title: Quadratic", "title:\n  - Quadratic", true, byLoader},
	{"empty list", "aliases: [CVE-2024-7592]", "aliases: []", true, byLoader},
	{"fixed and last_affected", "    pr: 123075\n", "    pr: 123075\n    last_affected: a77ab24427a18bff817025adb03ca920dc3f1a06\n", true, byLoader},
	{"empty branch entry", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n", "  - branch: \"3.12\"\n", true, byLoader},
	{"ID not matching pattern", "id: PSF-2024-9", "id: PSF-24-9", true, byLoader},
	{"severity not in enum", "severity: low", "severity: moderate", true, byLint},
	{"short commit", "fixed: 391e5626e3ee5af267b97e37abc7475732e67621", "fixed: a77ab244", true, byLint},
	{"upper-case commit", "fixed: 391e5626e3ee5af267b97e37abc7475732e67621", "fixed: 391E5626E3EE5AF267B97E37ABC7475732E67621", true, byLint},
	{"introduced not a commit", `introduced: "0"`, `introduced: "v3.12.0"`, true, byLint},
	{"branch with patch version", `branch: "3.12"`, `branch: "3.12.1"`, true, byLint},
	{"timestamp with offset", `"2024-08-19T19:06:45Z"`, `"2024-08-19T21:06:45+02:00"`, true, byLint},
	{"date only", `"2024-08-19T19:06:45Z"`, `"2024-08-19"`, true, byLint},
	{"impossible date", `"2024-08-19T19:06:45Z"`, `"2024-13-19T19:06:45Z"`, true, byLint},
	{"title over 120 characters", "title: Quadratic", "title: " + strings.Repeat("x", 110) + " Quadratic", true, byLint},
	{"title with trailing space", "title: Quadratic complexity when parsing quoted cookie values with backslashes\n", "title: \"Quadratic complexity \"\n", true, byLint},
	{"CVSS 3.1 vector", `cvss: "CVSS:4.0/`, `cvss: "CVSS:3.1/`, true, byLint},
	{"CWE without prefix", "cwes: [CWE-1333]", "cwes: [\"1333\"]", true, byLint},
	{"alias of no known form", "aliases: [CVE-2024-7592]", "aliases: [CVE-24-7592]", true, byLint},
	{"duplicate alias", "aliases: [CVE-2024-7592]", "aliases: [CVE-2024-7592, CVE-2024-7592]", true, byLint},
	{"credit type not in enum", "type: FINDER", "type: finder", true, byLint},
	{"reference type not in enum", "type: REPORT", "type: ISSUE", true, byLint},
	{"javascript URL", "url: https://github.com/python/cpython/issues/123067", "url: \"javascript:alert(1)\"", true, byLint},
	{"scheme-less URL", "url: https://github.com/python/cpython/issues/123067", "url: //github.com/python/cpython/issues/123067", true, byLint},
	{"URL with user info", "url: https://github.com/", "url: https://user:pw@github.com/", true, byLint},
	{"URL with non-ASCII host", "url: https://github.com/", "url: https://gıthub.com/", true, byLint},
	{"plain http URL", "url: https://github.com/", "url: http://github.com/", true, byWarning},
	{"contact with ftp scheme", "contact: [https://example.org/person", "contact: [ftp://example.org/person", true, byLint},
	{"pr zero", "pr: 123075", "pr: 0", true, byLoader},
	{"pr with leading zero", "pr: 123075", "pr: 0123075", false, byLoader},
	{"pr with sign", "pr: 123075", "pr: +123075", false, byLoader},
	{"quoted field name", "severity: low", `"severity": low`, false, byLoader},
	{"escaped field name", "severity: low", `"sev\x65rity": low`, false, byLoader},
	{"explicit key", "severity: low", "? severity\n: low", false, byLoader},
	{"URL port out of range", "url: https://github.com/", "url: https://github.com:99999/", false, byLint},
	{"tab in title", "title: Quadratic complexity when parsing quoted cookie values with backslashes\n", "title: \"Quadratic\\tcomplexity\"\n", true, byLint},
	{"no-break space in title", "title: Quadratic complexity when parsing quoted cookie values with backslashes\n", "title: \"Quadratic\u00a0complexity\"\n", true, byLint},
	{"blank braille pattern in title", "title: Quadratic complexity when parsing quoted cookie values with backslashes\n", "title: \"Quadratic\u2800complexity\"\n", true, byLint},
	{"tab in component", "components: [", "components: [\"http\\tcookies\", ", false, byLint},
	{"newline in credit name", "  - name: ", "  - name: \"Jane\\nDoe\"\n    type: FINDER\n  - name: ", false, byLint},
	{"CVSS 4.0 vector in cvss_v3", "cwes: [", "cvss_v3: \"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N\"\ncwes: [", true, byLint},
	{"CVSS 2 vector in cvss_v3", "cwes: [", "cvss_v3: \"AV:N/AC:L/Au:N/C:P/I:P/A:P\"\ncwes: [", true, byLint},
	{"CWE name without name", "components:", "cwe_names:\n  - id: CWE-1333\ncomponents:", true, byLint},
	{"CWE name with padding", "components:", "cwe_names:\n  - id: CWE-1333\n    name: \" ReDoS\"\ncomponents:", true, byLint},
	{"CWE name of a malformed ID", "components:", "cwe_names:\n  - id: \"1333\"\n    name: ReDoS\ncomponents:", true, byLint},
	{"reference tag not in enum", "    url: https://github.com/python/cpython/issues/123067\n", "    url: https://github.com/python/cpython/issues/123067\n    tags: [fix]\n", true, byLint},
	{"duplicate reference tag", "    url: https://github.com/python/cpython/issues/123067\n", "    url: https://github.com/python/cpython/issues/123067\n    tags: [exploit, exploit]\n", true, byLint},
	{"release facts without branch", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n  - first_affected: \"0\"\n    fixed_in: \"3.12.6\"\n", true, byLoader},
	{"status with fixed_in", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n    first_affected: \"0\"\n    status: unfixed\n    fixed_in: \"3.12.6\"\n", true, byLint},
	{"fixed_in with last_affected_in", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n    first_affected: \"0\"\n    fixed_in: \"3.12.6\"\n    last_affected_in: \"3.12.5\"\n", true, byLint},
	{"unknown status", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n  - branch: \"3.11\"\n    status: maybe\n", true, byLint},
	{"fixed_in in tag spelling", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n    first_affected: \"0\"\n    fixed_in: v3.12.6\n", true, byLint},
}

// goodDocs are variants of good that the schema, the loader and lint all
// accept: the editor must not flag what CI accepts.
var goodDocs = []struct{ name, old, new string }{
	{"placeholder ID", "id: PSF-2024-9", "id: PSF-0000-cookie-quadratic-parse"},
	{"GHSA and PYSEC aliases", "aliases: [CVE-2024-7592]", "aliases: [CVE-2024-7592, GHSA-mq26-g339-26xf, PYSEC-2023-228]"},
	{"fractional seconds", `"2024-08-19T19:06:45Z"`, `"2024-08-19T19:06:45.311Z"`},
	{"withdrawn", "title: Quadratic", "withdrawn: \"2024-08-20T00:00:00Z\"\ntitle: Quadratic"},
	{"CVSS with supplemental metrics", "SA:N\"", "SA:N/S:N/AU:N/R:A/V:D/RE:L/U:Clear\""},
	{"no severity (historical import)", "severity: low\n", ""},
	{"unplaced fix", "  - branch: \"3.12\"\n    fixed:", "  - fixed:"},
	{"last_affected only", "    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06", "    last_affected: a77ab24427a18bff817025adb03ca920dc3f1a06"},
	{"branch still unfixed", "    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06", "    introduced: a77ab24427a18bff817025adb03ca920dc3f1a06"},
	{"URL with port, query and fragment", "url: https://github.com/python/cpython/issues/123067", "url: https://example.org:8443/a?b=c#d"},
	{"URL with query only", "url: https://github.com/python/cpython/issues/123067", "url: https://example.org?q=1"},
	{"upper-case scheme", "url: https://github.com/", "url: HTTPS://github.com/"},
	{"CVSS 3.1 and 4.0 vectors", "cwes: [", "cvss_v3: \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L\"\ncwes: ["},
	{"CVSS 3.0 vector", "cwes: [", "cvss_v3: \"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P\"\ncwes: ["},
	{"CWE name", "components:", "cwe_names:\n  - id: CWE-1333\n    name: Inefficient Regular Expression Complexity\ncomponents:"},
	{"CVE reference tags", "    url: https://github.com/python/cpython/issues/123067\n", "    url: https://github.com/python/cpython/issues/123067\n    tags: [mitigation, exploit]\n"},
	{"no branches (unfixed everywhere)", "branches:\n  - branch: main\n    fixed: 391e5626e3ee5af267b97e37abc7475732e67621\n    pr: 123075\n  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n", ""},
	{"release facts", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n", "  - branch: \"3.12\"\n    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06\n    first_affected: \"3.12.0\"\n    fixed_in: \"3.12.6\"\n  - branch: \"3.13\"\n    first_affected: 3.13.0a1\n    last_affected_in: 3.13.0rc1\n  - branch: \"3.7\"\n    status: not-affected\n"},
}

func TestGoodDocuments(t *testing.T) {
	sch := compileAdvisory(t)
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range goodDocs {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(good, tc.old) {
				t.Fatalf("test bug: %q is not in the good document", tc.old)
			}
			doc := strings.Replace(good, tc.old, tc.new, 1)
			id := "PSF-2024-9"
			if strings.Contains(doc, "id: PSF-0000-") {
				id = "PSF-0000-cookie-quadratic-parse"
			}
			path := filepath.Join("advisories", "python", id+".yaml")
			a, ds := advisory.Parse(path, "python", []byte(doc))
			if ds.HasErrors() {
				t.Fatalf("loader refuses: %v", ds)
			}
			for _, d := range lint.Advisory(a, lint.Options{Products: cfg}) {
				if d.Severity == diag.Error {
					t.Errorf("lint refuses: %v", d)
				}
			}
			if err := sch.Validate(yamlJSON(t, doc)); err != nil {
				t.Errorf("schema refuses the document: %v", err)
			}
			if err := sch.Validate(modelJSON(t, a)); err != nil {
				t.Errorf("schema refuses the loaded document: %v", err)
			}
		})
	}
}

func TestBadDocuments(t *testing.T) {
	sch := compileAdvisory(t)
	cfg, err := product.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("advisories", "python", "PSF-2024-9.yaml")
	t.Run("good", func(t *testing.T) {
		a, ds := advisory.Parse(path, "python", []byte(good))
		if ds.HasErrors() {
			t.Fatalf("loader refuses the good document: %v", ds)
		}
		if ds := lint.Advisory(a, lint.Options{Products: cfg}); len(ds) > 0 {
			t.Fatalf("lint reports on the good document: %v", ds)
		}
		if err := sch.Validate(modelJSON(t, a)); err != nil {
			t.Fatalf("schema refuses the loaded good document: %v", err)
		}
		if err := sch.Validate(yamlJSON(t, good)); err != nil {
			t.Fatalf("schema refuses the good document as an editor sees it: %v", err)
		}
	})
	for _, tc := range badDocs {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(good, tc.old) {
				t.Fatalf("test bug: %q is not in the good document", tc.old)
			}
			doc := strings.Replace(good, tc.old, tc.new, 1)
			if err := sch.Validate(yamlJSON(t, doc)); (err != nil) != tc.schema {
				t.Errorf("schema: refused=%v, want %v (%v)", err != nil, tc.schema, err)
			}
			if got := otherVerdict(path, doc, cfg); got != tc.other {
				t.Errorf("loader and lint: got %s, want %s", got, tc.other)
			}
		})
	}
}

// otherVerdict says which of the loader and lint refuses doc.
func otherVerdict(path, doc string, cfg product.Config) string {
	a, ds := advisory.Parse(path, "python", []byte(doc))
	if ds.HasErrors() {
		return byLoader
	}
	ds = lint.Advisory(a, lint.Options{Products: cfg})
	switch {
	case ds.HasErrors():
		return byLint
	case len(ds) > 0:
		return byWarning
	}
	return byNone
}

// yamlJSON converts a YAML document to the JSON value an editor validates:
// YAML 1.2 core types (int, float, bool and null become JSON numbers,
// booleans and null; everything else is a string).
func yamlJSON(t testing.TB, doc string) any {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatalf("not YAML: %v", err)
	}
	v, err := nodeJSON(n.Content[0])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func nodeJSON(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return nodeJSON(n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := nodeJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := []any{}
		for _, c := range n.Content {
			v, err := nodeJSON(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	return scalarJSON(n)
}

func scalarJSON(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", nil
	case "!!int", "!!float":
		// yaml-language-server reads 3.12 as a number; so does JSON.
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil {
			return json.Number(n.Value), fmt.Errorf("line %d: number %q", n.Line, n.Value)
		}
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), nil
	}
	return n.Value, nil
}
