package advisory

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SchemaComment is the first line of every source this tool writes: it
// points yaml-language-server at the authoring schema.
const SchemaComment = "# yaml-language-server: $schema=../../schema/advisory.schema.json"

// Marshal renders an advisory as a source file the loader accepts: fields in
// model order, multi-line text as literal blocks, lists of names in flow
// style, and every value that could read as something else quoted.
func Marshal(a *Advisory) ([]byte, error) {
	n := encodeValue(reflect.ValueOf(a).Elem())
	var buf bytes.Buffer
	buf.WriteString(SchemaComment + "\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func encodeValue(v reflect.Value) *yaml.Node {
	switch v.Kind() {
	case reflect.Struct:
		return encodeStruct(v)
	case reflect.Slice:
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for i := 0; i < v.Len(); i++ {
			seq.Content = append(seq.Content, encodeValue(v.Index(i)))
		}
		if v.Type().Elem().Kind() == reflect.String {
			seq.Style = yaml.FlowStyle
		}
		return seq
	case reflect.Int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(v.Int(), 10)}
	default:
		return encodeString(v.String())
	}
}

func encodeStruct(v reflect.Value) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if name == "" || name == "-" || v.Field(i).IsZero() {
			continue
		}
		m.Content = append(m.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name},
			encodeValue(v.Field(i)))
	}
	return m
}

func encodeString(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case strings.Contains(s, "\n") && literalSafe(s):
		n.Style = yaml.LiteralStyle
	case strings.Contains(s, "\n") || readsAsNonText(s) || needsQuotes(s):
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// literalSafe reports whether a literal block keeps s exactly: no trailing
// spaces before line ends, no tabs or leading spaces on the first line, and
// no carriage returns.
func literalSafe(s string) bool {
	if strings.ContainsAny(s, "\r\t") || strings.HasPrefix(s, " ") || strings.HasPrefix(s, "\n") {
		return false
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimRight(line, " ") != line {
			return false
		}
	}
	return true
}

// needsQuotes reports whether a plain scalar would not read back as the
// same text.
func needsQuotes(s string) bool {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("k: "+s), &n); err != nil || len(n.Content) != 1 {
		return true
	}
	m := n.Content[0]
	if len(m.Content) != 2 {
		return true
	}
	val := m.Content[1]
	return val.Kind != yaml.ScalarNode || val.Tag != "!!str" || val.Value != s || val.Style != 0
}
