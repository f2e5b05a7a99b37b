package resolve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/psf/advisory-builder/internal/gitgraph"
)

// The batch protocol of `advisory versions --batch`: JSON lines of Input in,
// one BatchResult line per input out, in input order, from one load of the
// graph.

// BatchResult is one output line of a batch.
type BatchResult struct {
	ID       string   `json:"id"`
	Versions []string `json:"versions"`
}

// ReadBatch reads JSON lines of ranges from r; blank lines are skipped and
// an input without introduced commits means "0". name labels errors
// (name:line).
func ReadBatch(r io.Reader, name string) ([]Input, error) {
	var out []Input
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20) // grown as lines need, up to 16 MB
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		in, err := batchLine(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		out = append(out, in)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return out, nil
}

func batchLine(line []byte) (Input, error) {
	if in, ok := quickLine(line); ok {
		return in, nil
	}
	return jsonLine(line)
}

// jsonLine reads a batch line with encoding/json, which says what is wrong
// with a bad one.
func jsonLine(line []byte) (Input, error) {
	var in Input
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Input{}, fmt.Errorf(`%v (want {"id":..., "introduced":[...], "fixed":[...], "last_affected":[...]})`, err)
	}
	if dec.More() {
		return Input{}, fmt.Errorf("one JSON object per line")
	}
	if len(in.Introduced) == 0 {
		in.Introduced = []string{"0"}
	}
	return in, nil
}

// quickLine decodes the usual batch line without reflection: one object of
// the four keys, each at most once and spelt in lower case, whose values
// are strings or arrays of strings of printable ASCII without escapes.
// Anything else (null, escapes, other keys or spellings, bad syntax) is
// not ok, and batchLine reads it with encoding/json, errors included; where
// quickLine is ok it gives what encoding/json gives (FuzzQuickLine).
func quickLine(line []byte) (Input, bool) {
	q := quickParser{b: line}
	var in Input
	var seen [4]bool
	if !q.byte('{') {
		return Input{}, false
	}
	if !q.byte('}') {
		for {
			key, ok := q.str()
			k := slices.Index(batchKeys, key)
			if !ok || k < 0 || seen[k] || !q.byte(':') {
				return Input{}, false
			}
			seen[k] = true
			switch key {
			case "id":
				in.ID, ok = q.str()
			case "introduced":
				in.Introduced, ok = q.strs()
			case "fixed":
				in.Fixed, ok = q.strs()
			case "last_affected":
				in.LastAffected, ok = q.strs()
			}
			if !ok {
				return Input{}, false
			}
			if q.byte('}') {
				break
			}
			if !q.byte(',') {
				return Input{}, false
			}
		}
	}
	q.space()
	if q.p != len(q.b) {
		return Input{}, false
	}
	if len(in.Introduced) == 0 {
		in.Introduced = []string{"0"}
	}
	return in, true
}

// batchKeys are Input's JSON keys.
var batchKeys = []string{"id", "introduced", "fixed", "last_affected"}

// quickParser reads the JSON subset quickLine accepts.
type quickParser struct {
	b []byte
	p int
}

func (q *quickParser) space() {
	for q.p < len(q.b) && (q.b[q.p] == ' ' || q.b[q.p] == '\t' || q.b[q.p] == '\r' || q.b[q.p] == '\n') {
		q.p++
	}
}

// byte consumes c, after any white space, if it is next.
func (q *quickParser) byte(c byte) bool {
	q.space()
	if q.p < len(q.b) && q.b[q.p] == c {
		q.p++
		return true
	}
	return false
}

// str reads a string of printable ASCII without escapes.
func (q *quickParser) str() (string, bool) {
	if !q.byte('"') {
		return "", false
	}
	start := q.p
	for ; q.p < len(q.b); q.p++ {
		switch c := q.b[q.p]; {
		case c == '"':
			q.p++
			return string(q.b[start : q.p-1]), true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return "", false
		}
	}
	return "", false
}

// strs reads an array of such strings ([] is an empty, non-nil list, as
// encoding/json makes it).
func (q *quickParser) strs() ([]string, bool) {
	if !q.byte('[') {
		return nil, false
	}
	out := []string{}
	if q.byte(']') {
		return out, true
	}
	for {
		s, ok := q.str()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if q.byte(']') {
			return out, true
		}
		if !q.byte(',') {
			return nil, false
		}
	}
}

// WriteBatch resolves every input and writes one BatchResult line each, in
// input order. An input naming an unknown commit fails the whole batch
// before anything is written; name labels that error.
func (r *Resolver) WriteBatch(w io.Writer, batch []Input, name string) error {
	ranges := make([]Range, len(batch))
	for k, in := range batch {
		rg, err := r.Lookup(in)
		if err != nil {
			return fmt.Errorf("%s: range %q (entry %d): %v", name, in.ID, k+1, err)
		}
		ranges[k] = rg
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	quoted := quoteTagNames(r.tags)
	var line []byte
	for k, res := range r.ResolveAll(ranges) {
		line = appendBatchLine(line[:0], batch[k].ID, res, quoted)
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// quoteTagNames is each tag's name as a JSON string, quoted once for a
// whole batch rather than once per line it appears on.
func quoteTagNames(tags []gitgraph.Tag) [][]byte {
	out := make([][]byte, len(tags))
	for t, tag := range tags {
		out[t] = appendJSONString(nil, tag.Name)
	}
	return out
}

// appendBatchLine appends res's line under id: byte for byte what
// appendBatchResult writes for BatchResult{id, res.Versions()}
// (TestBatchLineMatchesResult), without building the list of names.
func appendBatchLine(b []byte, id string, res *Result, quoted [][]byte) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, id)
	b = append(b, `,"versions":[`...)
	first := true
	for t := range quoted {
		if !res.affected.has(t) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, quoted[t]...)
	}
	return append(b, "]}\n"...)
}

// appendBatchResult appends res as one JSON line, byte for byte what
// json.Encoder writes for it (TestBatchLineMatchesEncoder), without
// reflection.
func appendBatchResult(b []byte, res BatchResult) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, res.ID)
	b = append(b, `,"versions":`...)
	if res.Versions == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for k, v := range res.Versions {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, v)
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...)
}

// appendJSONString appends s quoted as encoding/json quotes it: directly
// when every byte is printable ASCII that json leaves alone, else through
// json.Marshal (escapes, HTML-safe characters, invalid UTF-8).
func appendJSONString(b []byte, s string) []byte {
	for k := 0; k < len(s); k++ {
		if c := s[k]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
