package osvimport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/psf/advisory-builder/internal/osv"
	"go.yaml.in/yaml/v3"
)

// decodeRecord reads one OSV record, JSON or (by its .yaml or .yml name)
// YAML, as the PyPI advisory database keeps its PYSEC records. Fields the
// OSV types do not know are refused, as are YAML anchors, aliases, tags,
// duplicate keys and more than one document.
func decodeRecord(path string, data []byte) (*osv.Vulnerability, error) {
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".yaml" || ext == ".yml" {
		var err error
		if data, err = yamlToJSON(data); err != nil {
			return nil, err
		}
	}
	var v osv.Vulnerability
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one JSON value; a record file holds one record")
	}
	return &v, nil
}

// yamlToJSON re-encodes a YAML record as JSON. Scalars keep their text
// (an unquoted 1.3 or 2023-11-03T16:28:41Z stays that string); booleans and
// nulls stay what they are.
func yamlToJSON(data []byte) ([]byte, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("invalid YAML: %v", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, fmt.Errorf("line %d: a second YAML document; a record file holds one record", extra.Line)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("the YAML file holds no record")
	}
	v, err := yamlValue(doc.Content[0])
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func yamlValue(n *yaml.Node) (any, error) {
	switch {
	case n.Kind == yaml.AliasNode || n.Anchor != "":
		return nil, fmt.Errorf("line %d:%d: YAML anchors and aliases are not accepted in a record", n.Line, n.Column)
	case n.Style&yaml.TaggedStyle != 0:
		return nil, fmt.Errorf("line %d:%d: explicit YAML tag %s is not accepted in a record", n.Line, n.Column, n.Tag)
	}
	switch n.Kind {
	case yaml.MappingNode:
		return yamlMapping(n)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			return strings.EqualFold(n.Value, "true"), nil
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d:%d: unexpected YAML node", n.Line, n.Column)
}

func yamlMapping(n *yaml.Node) (map[string]any, error) {
	out := map[string]any{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || k.Anchor != "" {
			return nil, fmt.Errorf("line %d:%d: keys must be plain names", k.Line, k.Column)
		}
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Errorf("line %d:%d: duplicate key %q", k.Line, k.Column, k.Value)
		}
		v, err := yamlValue(n.Content[i+1])
		if err != nil {
			return nil, err
		}
		out[k.Value] = v
	}
	return out, nil
}
