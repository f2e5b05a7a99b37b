package site

import (
	"reflect"
	"testing"
)

// TestSummariesPackRoundTrip: a summary packed and unpacked is the summary
// (but for the record, the Markdown source and the lock entry, which a kept
// summary never holds), for every record of the fixture, the release lists
// and products shared as they were.
func TestSummariesPackRoundTrip(t *testing.T) {
	cfg := fixtureConfig()
	recs := append(fixtureRecords(cfg), rootSilentRecord(cfg))
	orders := &productOrders{}
	ss := newSummaries()
	var want []*advSummary
	for _, r := range recs {
		s, err := newSummary(r, cfg, orders)
		if err != nil {
			t.Fatal(err)
		}
		s.rec, s.description = nil, ""
		if ss.has(s.ID) {
			t.Fatalf("%s: kept before it was added", s.ID)
		}
		if err := ss.add(s); err != nil {
			t.Fatal(err)
		}
		if !ss.has(s.ID) {
			t.Fatalf("%s: not kept", s.ID)
		}
		want = append(want, s)
	}
	got, err := ss.unpack(orders)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d summaries, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("summary %d (%s):\n got %+v\nwant %+v", i, want[i].ID, got[i], want[i])
		}
		if got[i].prod != want[i].prod || got[i].order != want[i].order {
			t.Errorf("%s: the product or its release order is a copy, not the shared one", want[i].ID)
		}
	}
}

// TestSummariesCorrupt: bytes that are not a packed summary are an error,
// not a panic.
func TestSummariesCorrupt(t *testing.T) {
	ss := newSummaries()
	for _, data := range [][]byte{nil, {0xff}, {3, 'a'}, {1, 'a', 0, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}} {
		if _, err := ss.decode(data, &productOrders{}); err == nil {
			t.Errorf("%q decoded", data)
		}
	}
}
