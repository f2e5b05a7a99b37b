package build

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

// TestJudgeableRecordsValid is the guarantee Judgeable rests on when it
// skips encoding and the schema: the typed records it judges are the ones
// a build validates. Every record of the shipped database and of a
// generated one passes ValidateStrict, and (outside git, where `modified`
// is the same both ways) encodes to the bytes Records validated.
func TestJudgeableRecordsValid(t *testing.T) {
	generated := filepath.Join(t.TempDir(), "db")
	if err := bundletest.WriteDatabase(generated, 300, mustRead(t, productsFile)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, root string
		sameBytes  bool
	}{{"shipped", filepath.Dir(filepath.Dir(productsFile)), false}, {"generated", generated, true}} {
		t.Run(tc.name, func(t *testing.T) {
			recs, _, broken, err := Judgeable(tc.root, now)
			if err != nil || len(broken) > 0 {
				t.Fatalf("Judgeable: %v (broken %v)", err, broken)
			}
			var validated map[string][]byte
			if tc.sameBytes {
				all, _, err := Records(tc.root, now)
				if err != nil {
					t.Fatal(err)
				}
				validated = map[string][]byte{}
				for _, r := range all {
					validated[r.Vuln.ID] = r.JSON
				}
			}
			for _, r := range recs {
				if r.JSON != nil {
					t.Fatalf("%s: Judgeable kept JSON", r.Vuln.ID)
				}
				data, err := osv.Marshal(r.Vuln)
				if err != nil {
					t.Fatal(err)
				}
				if err := osv.ValidateStrict(data); err != nil {
					t.Errorf("%s: %v", r.Vuln.ID, err)
				}
				if validated != nil && !bytes.Equal(data, validated[r.Vuln.ID]) {
					t.Errorf("%s: Judgeable's record differs from the validated one", r.Vuln.ID)
				}
			}
			if len(recs) == 0 {
				t.Fatal("no records")
			}
		})
	}
}
