package bundle

import (
	"reflect"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/packed"
)

// TestKeptPointerFree: what the writer holds per record until Close has no
// pointers for the collector to scan.
func TestKeptPointerFree(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[keptEntry](), reflect.TypeFor[fileSum]()} {
		if !packed.PointerFree(typ) {
			t.Errorf("%v holds a pointer", typ)
		}
	}
}

// TestKeptRoundTrip: entries kept come back as they were added, their
// times in UTC to the nanosecond.
func TestKeptRoundTrip(t *testing.T) {
	want := []entry{
		{id: "PSF-2024-1", product: "python", ecosystem: "GIT", modified: time.Date(2024, 7, 1, 10, 0, 0, 123456789, time.UTC)},
		{id: "PSF-2024-2", product: "pip", ecosystem: "PyPI", modified: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)},
		{id: "PSF-2024-3", product: "python", ecosystem: "GIT", modified: time.Date(2030, 12, 31, 23, 59, 59, 1, time.UTC)},
	}
	var k keptEntries
	for _, e := range want {
		k.add(e)
	}
	if got := k.all(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
