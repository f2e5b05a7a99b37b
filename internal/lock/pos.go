package lock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// offsetError is a problem in a lock at a byte offset: the start of the
// token or value that is wrong (after any blank or separator), or, for a
// syntax error, a place Read finds again in the whole file.
type offsetError struct {
	off int64
	err error
}

func (e *offsetError) Error() string { return fmt.Sprintf("at byte %d: %v", e.off, e.err) }
func (e *offsetError) Unwrap() error { return e.err }

// at wraps err with the decoder's offset before the token or value that
// failed; nil stays nil.
func at(off int64, err error) error {
	var oe *offsetError
	if err == nil || errors.As(err, &oe) {
		return err
	}
	return &offsetError{off: off, err: err}
}

// isSyntax reports whether err is malformed JSON, whose place the
// streaming decoder does not give exactly.
func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF)
}

// position is the line and column (1-based; the column counts characters)
// of the problem in the lock data b: for a syntax error the character the
// JSON grammar refuses, else the token at e.off.
func position(b []byte, e *offsetError) (line, col int) {
	off := e.off
	if isSyntax(e.err) {
		var se *json.SyntaxError
		switch err := json.Unmarshal(b, new(json.RawMessage)); {
		case errors.As(err, &se) && se.Offset >= int64(len(b)) && strings.Contains(se.Error(), "end of JSON"):
			off = int64(len(b)) // where more was expected
		case errors.As(err, &se):
			off = max(se.Offset-1, 0) // the refused character
		}
	} else {
		for off < int64(len(b)) && isSeparator(b[off]) {
			off++
		}
	}
	return lineCol(b, min(off, int64(len(b))))
}

func isSeparator(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ':':
		return true
	}
	return false
}

// lineCol converts a byte offset of b into a line and a column.
func lineCol(b []byte, off int64) (line, col int) {
	line, start := 1, 0
	for i := 0; i < int(off); i++ {
		if b[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, utf8.RuneCount(b[start:off]) + 1
}

// EntryPositions gives the line and column of the key of each of the
// given advisory entries in product's lock file (entries not found are
// left out). It reads the file again and serves diagnostics only.
func EntryPositions(root, product string, ids []string) (map[string][2]int, error) {
	b, err := os.ReadFile(Path(root, product))
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	offs, err := keyOffsets(json.NewDecoder(bytes.NewReader(b)), want)
	if err != nil {
		return nil, err
	}
	out := map[string][2]int{}
	for id, off := range offs {
		l, c := position(b, &offsetError{off: off})
		out[id] = [2]int{l, c}
	}
	return out, nil
}

// keyOffsets finds where the wanted keys of the "advisories" object start.
func keyOffsets(dec *json.Decoder, want map[string]bool) (map[string]int64, error) {
	offs := map[string]int64{}
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if key != "advisories" {
			if err := dec.Decode(new(json.RawMessage)); err != nil {
				return nil, err
			}
			continue
		}
		if err := expectDelim(dec, '{'); err != nil {
			return nil, err
		}
		for dec.More() {
			before := dec.InputOffset()
			id, err := dec.Token()
			if err != nil {
				return nil, err
			}
			if s, ok := id.(string); ok && want[s] {
				offs[s] = before
			}
			if err := dec.Decode(new(json.RawMessage)); err != nil {
				return nil, err
			}
		}
		return offs, nil
	}
	return offs, nil
}
