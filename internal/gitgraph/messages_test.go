package gitgraph

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestTitleParsers(t *testing.T) {
	tests := []struct {
		title, branch string
		gh            []int
		pr            int
	}{
		{"[3.12] gh-123067: Fix quadratic parsing of cookies (GH-123075) (#123103)", "3.12", []int{123075}, 123103},
		{"gh-123067: Fix quadratic parsing of cookies (#123075)", "", nil, 123075},
		{`Revert "[3.11] gh-1: Fix (GH-2) (#3)"`, "", nil, 0},
		{"[3.9] bpo-1: Two parts (GH-10) (GH-11) (#12)", "3.9", []int{10, 11}, 12},
		{"Python 3.12.4", "", nil, 0},
	}
	for _, tt := range tests {
		if got := TitleBranch(tt.title); got != tt.branch {
			t.Errorf("TitleBranch(%q) = %q", tt.title, got)
		}
		if got := GHRefs(tt.title); len(got) != len(tt.gh) || (len(got) > 0 && got[0] != tt.gh[0]) {
			t.Errorf("GHRefs(%q) = %v", tt.title, got)
		}
		if got := PRNumber(tt.title); got != tt.pr {
			t.Errorf("PRNumber(%q) = %d", tt.title, got)
		}
	}
}

func FuzzMessage(f *testing.F) {
	f.Add("[3.12] gh-1: x (GH-2) (#3)\n\n(cherry picked from commit 0123456789012345678901234567890123456789)")
	f.Add("Revert \"x\"\n\nThis reverts commit 0123456789012345678901234567890123456789.")
	f.Fuzz(func(t *testing.T, msg string) {
		m := &Messages{building: make([]string, 1), Picked: map[uint32][]string{}, Reverts: map[uint32][]string{}}
		m.add(0, msg)
		m.packTitles()
		if strings.Contains(m.Title(0), "\n") {
			t.Fatalf("title %q has a newline", m.Title(0))
		}
		for _, h := range append(m.Picked[0], m.Reverts[0]...) {
			if len(h) != 40 {
				t.Fatalf("hash %q", h)
			}
		}
		for _, n := range GHRefs(m.Title(0)) {
			if n < 0 {
				t.Fatal(n)
			}
		}
		_ = PRNumber(m.Title(0))
		_ = TitleBranch(m.Title(0))
	})
}

// TestMessagesEncoding: the flat message cache reads back what was written,
// indexes included, and every truncation of it is refused, never trusted.
func TestMessagesEncoding(t *testing.T) {
	m := &Messages{Key: "k", Hashes: make([]byte, 60),
		building: []string{"gh-1: Fix (#10)", "[3.12] gh-1: Fix (GH-10) (#11)", "Revert \"gh-1: Fix\""},
		Picked:   map[uint32][]string{1: {"0123456789012345678901234567890123456789"}},
		Reverts:  map[uint32][]string{2: {"0123456789012345678901234567890123456789"}}}
	m.packTitles()
	m.buildIndexes()
	if got := m.Issues.Get("gh-1"); !slices.Equal(got, []uint32{0, 1}) {
		t.Fatalf("Issues gh-1 = %v", got)
	}
	if got := m.Backports.Get("10"); !slices.Equal(got, []uint32{1}) {
		t.Fatalf("Backports 10 = %v", got)
	}
	data := m.encode()
	back, err := decodeMessages(data)
	if err != nil || !reflect.DeepEqual(back, m) {
		t.Fatalf("round trip: %v\n got %+v\nwant %+v", err, back, m)
	}
	for n := range len(data) {
		if _, err := decodeMessages(data[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: accepted", n)
		}
	}
}
