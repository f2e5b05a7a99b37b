package resolve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
	sc.Buffer(make([]byte, 1<<20), 16<<20)
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
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for k, res := range r.ResolveAll(ranges) {
		if err := enc.Encode(BatchResult{ID: batch[k].ID, Versions: res.Versions()}); err != nil {
			return err
		}
	}
	return bw.Flush()
}
