package osv

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/psf/advisory-builder/schema"
)

// Problem is one reason a record is invalid: where (a JSON pointer into the
// record, "" for the record itself) and what is wrong.
type Problem struct {
	Path    string
	Message string
}

func (p Problem) String() string {
	path := p.Path
	if path == "" {
		path = "(record)"
	}
	return path + ": " + p.Message
}

// ValidationError lists every problem found in one record, sorted by path.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "invalid OSV record: " + strings.Join(lines, "; ")
}

// Validator checks OSV records against one compiled JSON Schema (draft
// 2020-12, format assertions on). It is safe for concurrent use.
type Validator struct {
	schema   *jsonschema.Schema
	messages map[string]string // schema JSON pointer -> "errorMessage"
}

// NewValidator compiles a draft 2020-12 JSON Schema given as bytes. name is
// the URL the schema is known by when it has no $id of its own. Subschemas
// carrying an "errorMessage" string annotation explain their failures with
// it; other failures are described from the keyword that failed.
func NewValidator(name string, schemaJSON []byte) (*Validator, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	sch, err := c.Compile(name)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	msgs := map[string]string{}
	collectMessages(doc, "", msgs)
	return &Validator{schema: sch, messages: msgs}, nil
}

// ourValidator compiles schema/osv-1.7.5.json once.
var ourValidator = sync.OnceValues(func() (*Validator, error) {
	return NewValidator("osv-1.7.5.json", schema.OSV)
})

// Validate checks one record's JSON bytes against this project's OSV 1.7.5
// schema (schema/osv-1.7.5.json). The bytes must be exactly one JSON object,
// valid UTF-8, with no field repeated. A nil error means the record is
// valid; otherwise the error is a *ValidationError naming each problem's
// field path.
func Validate(data []byte) error {
	v, err := ourValidator()
	if err != nil {
		return fmt.Errorf("the embedded OSV schema does not compile: %w", err)
	}
	return v.Validate(data)
}

// Validate checks one record's JSON bytes against the validator's schema.
func (v *Validator) Validate(data []byte) error {
	inst, perr := decodeJSON(data)
	if perr != nil {
		return &ValidationError{Problems: []Problem{*perr}}
	}
	err := v.schema.Validate(inst)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return &ValidationError{Problems: []Problem{{Message: err.Error()}}}
	}
	return &ValidationError{Problems: v.explain(verr, inst)}
}

// decodeJSON parses data into the generic form the schema validator reads.
// Duplicate object names and invalid UTF-8 are refused: the first is
// ambiguous (readers disagree on which value wins) and the OSV protobuf
// decoder refuses both.
func decodeJSON(data []byte) (any, *Problem) {
	var v any
	err := jsonv2.Unmarshal(data, &v)
	if err == nil {
		return v, nil
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
			return nil, &Problem{
				Path:    string(syn.JSONPointer),
				Message: fmt.Sprintf("field %q appears twice in the same object: keep one", syn.JSONPointer.LastToken()),
			}
		}
		return nil, &Problem{
			Path:    string(syn.JSONPointer),
			Message: fmt.Sprintf("not valid JSON at byte %d: %v", syn.ByteOffset, syn.Err),
		}
	}
	return nil, &Problem{Message: "not valid JSON: " + err.Error()}
}
