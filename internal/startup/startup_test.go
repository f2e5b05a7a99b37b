package startup

import (
	"os"
	"runtime/debug"
	"strconv"
	"testing"
)

// TestDone: the collector is off until Done, then back at GOGC's setting.
func TestDone(t *testing.T) {
	want := 100
	switch v := os.Getenv("GOGC"); v {
	case "":
	case "off":
		want = -1
	default:
		want, _ = strconv.Atoi(v)
	}
	if gcPercent != want {
		t.Fatalf("setting before start-up = %d, want GOGC's %d", gcPercent, want)
	}
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("before Done the collector is at %d, want off (-1)", got)
	}
	Done()
	Done()
	if got := debug.SetGCPercent(want); got != want {
		t.Errorf("after Done the collector is at %d, want %d", got, want)
	}
}
