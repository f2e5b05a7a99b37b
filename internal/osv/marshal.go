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
	m := marshalers.Get().(*marshaler)
	m.buf.Reset()
	if err := m.enc.Encode(v); err != nil {
		return nil, err // m is dropped, not pooled: nothing of a failed encoding is reused
	}
	out := bytes.Clone(m.buf.Bytes())
	marshalers.Put(m)
	return out, nil
}

// marshaler is an output buffer and the encoder writing into it, kept
// together: the encoder keeps its indenting buffer between records (a new
// encoder per record grew one from nothing each time, most of a build's
// JSON allocations), and its settings are made once.
type marshaler struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var marshalers = sync.Pool{New: func() any {
	m := new(marshaler)
	m.enc = json.NewEncoder(&m.buf)
	m.enc.SetEscapeHTML(false)
	m.enc.SetIndent("", "  ")
	return m
}}
