package product

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// checkText holds the products configuration to the character rules of
// advisory sources: on the bytes (comments included) and on every decoded
// key and value, so an escape in a quoted value ("\u202E", "\e") counts as
// the character it writes. Errors name name:line:col.
func checkText(name string, data []byte) error {
	if line, col, msg := rule.SourceProblem(data); msg != "" {
		return fmt.Errorf("%s:%d:%d: %s", name, line, col, msg)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil // the decoder reports it
	}
	return decodedText(name, &doc)
}

func decodedText(name string, n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if p := rule.TextProblem(n.Value); p != "" {
			return fmt.Errorf("%s:%d:%d: %s (a quoted escape such as \\u202E or \\e counts as the character it writes)", name, n.Line, n.Column, p)
		}
	}
	for _, c := range n.Content {
		if err := decodedText(name, c); err != nil {
			return err
		}
	}
	return nil
}
