// Package osvtest holds test helpers that check OSV records with the
// consumers' own definitions: the official OSV 1.7.5 JSON Schema (read in
// place from ../shared/osv/schema-1.7.5.json) and the OSV protobuf that
// osv.dev and osv-scanner decode records with. Only tests import it.
package osvtest

import (
	"os"
	"sync"
	"testing"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/testenv"
)

var (
	officialOnce sync.Once
	official     *osv.Validator
	officialErr  error
)

// Official returns the official OSV 1.7.5 schema, compiled once per test
// binary (draft 2020-12, format assertions on).
func Official(t testing.TB) *osv.Validator {
	t.Helper()
	path := testenv.Shared(t, "osv", "schema-1.7.5.json")
	officialOnce.Do(func() {
		b, err := os.ReadFile(path)
		if err != nil {
			officialErr = err
			return
		}
		official, officialErr = osv.NewValidator("official-osv-1.7.5.json", b)
	})
	if officialErr != nil {
		t.Fatalf("official OSV schema: %v", officialErr)
	}
	return official
}

// CheckAgainstOfficial fails the test unless the official OSV 1.7.5 schema
// accepts the record. name labels the record in the failure message.
func CheckAgainstOfficial(t testing.TB, name string, data []byte) {
	t.Helper()
	if err := Official(t).Validate(data); err != nil {
		t.Errorf("%s: the official OSV schema refuses a record: %v", name, err)
	}
}

// CheckProto fails the test unless the record decodes into the OSV protobuf
// with no unknown field (osv-scanner silently drops a record that does not)
// and returns the decoded message.
func CheckProto(t testing.TB, name string, data []byte) *osvpb.Vulnerability {
	t.Helper()
	v, err := DecodeProto(data)
	if err != nil {
		t.Errorf("%s: the OSV protobuf refuses a record (osv-scanner would drop it): %v", name, err)
	}
	return v
}

// DecodeProto decodes a record the way osv.dev does, but with unknown
// fields an error instead of silently discarded.
func DecodeProto(data []byte) (*osvpb.Vulnerability, error) {
	v := &osvpb.Vulnerability{}
	err := protojson.UnmarshalOptions{DiscardUnknown: false}.Unmarshal(data, v)
	return v, err
}
