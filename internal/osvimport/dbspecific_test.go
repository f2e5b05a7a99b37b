package osvimport

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// TestDatabaseSpecificOrder: an unsupported database_specific key is named
// the same way on every run (the first in sorted order) by each of the
// three conversions: GIT records, package records and the project's own.
func TestDatabaseSpecificOrder(t *testing.T) {
	cfg, err := product.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	git := func() *osv.Vulnerability {
		return &osv.Vulnerability{ID: "PSF-2099-1", Affected: []osv.Affected{{Ranges: []osv.Range{{Type: "GIT",
			Repo: "https://github.com/python/cpython", Events: []osv.Event{{Introduced: "0"}}}}}}}
	}
	extra := func() *osv.DatabaseSpecific {
		other := map[string]json.RawMessage{}
		for i, k := range []string{"zeta", "mu", "kappa", "beta", "omega", "delta", "alpha", "eta"} {
			other[k] = json.RawMessage(strconv.Itoa(i))
		}
		return &osv.DatabaseSpecific{Other: other}
	}
	cases := []struct {
		name    string
		convert func() error
	}{
		{"git", func() error {
			v := git()
			v.DatabaseSpecific = extra()
			_, err := Convert(v)
			return err
		}},
		{"package", func() error {
			v, err := decodeRecord("r.yaml", []byte(pysecYAML))
			if err != nil {
				return err
			}
			v.DatabaseSpecific = extra()
			_, err = ConvertPackage(v, cfg["pip"])
			return err
		}},
		{"own", func() error {
			v := git()
			v.DatabaseSpecific = extra()
			v.DatabaseSpecific.VersionsSource = "unknown"
			_, _, err := ConvertOwn(v, cfg["python"])
			return err
		}},
	}
	for _, c := range cases {
		for range 20 {
			err := c.convert()
			if err == nil || !strings.Contains(err.Error(), "database_specific.alpha is not supported") {
				t.Fatalf("%s: got %v, want the first key in order, database_specific.alpha", c.name, err)
			}
		}
	}
}
