package advisory

import (
	"reflect"
	"testing"
)

// TestIdentitiesRoundTrip: identities kept come back as they were, in
// order, nil and empty alias lists apart.
func TestIdentitiesRoundTrip(t *testing.T) {
	want := []Identity{
		{ID: "PSF-2024-1", Product: "python", Path: "advisories/python/PSF-2024-1.yaml", Published: "2024-01-02T03:04:05Z", Aliases: []string{"CVE-2024-1", "GHSA-aaaa-bbbb-cccc"}, pos: []Position{{2, 5}, {3, 11}, {3, 23}}},
		{ID: "PSF-2024-2", Product: "pip", Path: "advisories/pip/PSF-2024-2.yaml", Aliases: []string{}, pos: []Position{{1, 1}}},
		{ID: "PSF-2024-3", Product: "python", Path: "p"},
		{},
	}
	var ids Identities
	for _, id := range want {
		if err := ids.Add(id); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ids.All()
	if err != nil {
		t.Fatal(err)
	}
	if ids.Len() != len(want) || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
