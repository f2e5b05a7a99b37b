package osv

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestMarshalReused: the pooled encoders give every record the bytes a
// fresh encoder gives it, whatever they encoded before (records of
// different sizes, in turn and again).
func TestMarshalReused(t *testing.T) {
	small := &Vulnerability{SchemaVersion: SchemaVersion, ID: "PSF-2024-1", Modified: "2024-01-01T00:00:00Z", Summary: "<a> & b"}
	large := &Vulnerability{SchemaVersion: SchemaVersion, ID: "PSF-2024-2", Modified: "2024-01-01T00:00:00Z",
		Details: string(bytes.Repeat([]byte("details "), 2000)), Aliases: []string{"CVE-2024-1", "CVE-2024-2"}}
	for range 3 {
		for _, v := range []*Vulnerability{large, small, large, small} {
			got, err := Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if want := freshMarshal(t, v); !bytes.Equal(got, want) {
				t.Fatalf("%s: Marshal gave\n%s\na fresh encoder\n%s", v.ID, got, want)
			}
		}
	}
}

// freshMarshal is Marshal's encoding with an encoder made for the record.
func freshMarshal(t *testing.T, v *Vulnerability) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkMarshal encodes a record with a new encoder per record into a
// reused buffer (the way Marshal was) and with the pooled encoders.
func BenchmarkMarshal(b *testing.B) {
	v := &Vulnerability{SchemaVersion: SchemaVersion, ID: "PSF-2024-2", Modified: "2024-01-01T00:00:00Z",
		Details: string(bytes.Repeat([]byte("details "), 300)), Aliases: []string{"CVE-2024-1", "CVE-2024-2"},
		Affected: []Affected{{Versions: []string{"v3.12.0", "v3.12.1", "v3.12.2", "v3.12.3", "v3.13.0", "v3.13.1"}}}}
	b.Run("new-encoder", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(v); err != nil {
				b.Fatal(err)
			}
			_ = bytes.Clone(buf.Bytes())
		}
	})
	b.Run("pooled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Marshal(v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
