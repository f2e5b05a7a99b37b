package cverecord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// MaxSize caps the size of a CVE record read from a file.
const MaxSize = 4 << 20

// ReadFile reads and checks a CVE JSON 5 record.
func ReadFile(path string) (*Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the CVE record: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the CVE record %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse decodes a CVE JSON 5 record and checks what this project relies on:
// the record type and version, the CVE ID, the state, and a CNA container
// with an English description. Errors name the file and the field (or the
// line and column of a JSON syntax error).
func Parse(path string, data []byte) (*Record, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: the record is over %d bytes; is this a CVE JSON 5 record?", path, MaxSize)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, jsonError(path, data, err)
	}
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := checkText(path, data); err != nil {
		return nil, err
	}
	return &r, nil
}

func jsonError(path string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset-1)
		return fmt.Errorf("%s:%d:%d: invalid JSON: %v", path, line, col, se)
	case errors.As(err, &te):
		line, col := lineCol(data, valueStart(data, te.Offset))
		field := te.Field
		if field == "" {
			field = "the record"
		}
		return fmt.Errorf("%s:%d:%d: %s must be %s, not a JSON %s; is this a CVE JSON 5 record?", path, line, col, field, jsonKind(te.Type), te.Value)
	}
	return fmt.Errorf("%s: invalid JSON: %v", path, err)
}

// valueStart backs up from the offset json reports for a mistyped value
// (just after an array's or object's opening bracket, or after a number,
// true, false or null) to the value's first character.
func valueStart(data []byte, off int64) int64 {
	off = min(max(off, 0), int64(len(data)))
	if off > 0 && (data[off-1] == '[' || data[off-1] == '{') {
		return off - 1
	}
	for off > 0 && !bytes.ContainsRune([]byte(" \t\r\n:,[\"{"), rune(data[off-1])) {
		off--
	}
	return off
}

// jsonKind names the JSON kind a Go type decodes from, for messages that
// speak of the input, never of this program's types.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a JSON string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a JSON array"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "a JSON object"
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a JSON number"
	}
	return "another JSON value"
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

func (r *Record) check() error {
	m := r.CVEMetadata
	switch {
	case r.DataType != "CVE_RECORD":
		return fmt.Errorf("dataType is %q, want \"CVE_RECORD\"; this is not a CVE JSON 5 record", r.DataType)
	case !strings.HasPrefix(r.DataVersion, "5."):
		return fmt.Errorf("dataVersion is %q; only CVE JSON 5.x records are read", r.DataVersion)
	case !rule.IsCVE(m.CVEID):
		return fmt.Errorf("cveMetadata.cveId %q is not a CVE ID (CVE-YYYY-NNNN)", m.CVEID)
	case m.State != "PUBLISHED" && m.State != "REJECTED":
		return fmt.Errorf("cveMetadata.state is %q, want PUBLISHED or REJECTED", m.State)
	case r.Containers.CNA == nil:
		return fmt.Errorf("containers.cna is missing; the record has no CNA container")
	}
	for _, f := range []struct{ name, v string }{
		{"cveMetadata.datePublished", m.DatePublished}, {"cveMetadata.dateRejected", m.DateRejected},
		{"containers.cna.datePublic", r.Containers.CNA.DatePublic},
	} {
		if f.v != "" {
			if _, err := parseCVETime(f.v); err != nil {
				return fmt.Errorf("%s %q is not a timestamp (2024-09-03T12:29:00.102Z)", f.name, f.v)
			}
		}
	}
	if m.State == "PUBLISHED" {
		return r.checkPublished()
	}
	return nil
}

func (r *Record) checkPublished() error {
	c := r.Containers.CNA
	if _, ok := English(c.Descriptions); !ok {
		return fmt.Errorf("containers.cna.descriptions has no English (lang \"en\") description")
	}
	if len(c.Affected) == 0 {
		return fmt.Errorf("containers.cna.affected is empty; a published record names the affected product")
	}
	if r.CVEMetadata.DatePublished == "" && c.DatePublic == "" {
		return fmt.Errorf("cveMetadata.datePublished is missing; the advisory needs a publication date")
	}
	return nil
}

// English returns the first English text of a list ("en", "en-US", ...).
func English(ds []Description) (string, bool) {
	for _, d := range ds {
		if (d.Lang == "en" || strings.HasPrefix(d.Lang, "en-") || strings.HasPrefix(d.Lang, "en_")) && strings.TrimSpace(d.Value) != "" {
			return d.Value, true
		}
	}
	return "", false
}

// parseCVETime reads a CVE timestamp: RFC 3339, with or without a zone (CVE
// records often omit it; UTC is meant).
func parseCVETime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a timestamp", s)
}
