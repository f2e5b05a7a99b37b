package osv

import (
	"bytes"
	"encoding/json"
	"sync"
)

// Marshal renders a record as this project writes it: two-space indented
// JSON in field order, no HTML escaping, trailing newline. The same record
// always gives the same bytes; the result is sized exactly.
func Marshal(v *Vulnerability) ([]byte, error) {
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}
