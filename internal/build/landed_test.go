package build

import (
	"testing"
	"time"
)

// TestLandedTimes: the landing times of a main line never go down from the
// root to HEAD, so a commit appended on top never moves an earlier
// change's time back; a date before the newest below it, or after the
// clock, lands at the next believed commit above it (or, at the top, at
// the newest believed date).
func TestLandedTimes(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2025, 1, n, 0, 0, 0, 0, time.UTC) }
	now := day(20)
	tests := []struct {
		name  string
		dates []int // root first (reversed for the call, which takes HEAD first)
		want  []int
		top   int
	}{
		{"in order", []int{1, 2, 3}, []int{1, 2, 3}, 0},
		{"same second", []int{1, 1, 1}, []int{1, 1, 1}, 0},
		{"back-dated HEAD", []int{1, 5, 3}, []int{1, 5, 5}, 1},
		{"back-dated, then a correct commit", []int{1, 5, 3, 6}, []int{1, 5, 6, 6}, 0},
		{"two back-dated at the top", []int{1, 5, 3, 2}, []int{1, 5, 5, 5}, 2},
		{"back-dated below the root's date", []int{4, 1}, []int{4, 4}, 1},
		{"future in the middle, vouched", []int{1, 30, 6}, []int{1, 6, 6}, 0},
		{"future, then back-dated", []int{5, 30, 3}, []int{5, 5, 5}, 2},
		{"future, back-dated, correct", []int{5, 30, 3, 7}, []int{5, 7, 7, 7}, 0},
		{"one commit", []int{4}, []int{4}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.dates)
			dates := make([]time.Time, n)
			for i, d := range tc.dates {
				dates[n-1-i] = day(d)
			}
			got, top := landedTimes(dates, now)
			for i, w := range tc.want {
				if !got[n-1-i].Equal(day(w)) {
					t.Errorf("commit %d (root first) landed %s, want %s", i, got[n-1-i].Format(time.DateOnly), day(w).Format(time.DateOnly))
				}
			}
			if top != tc.top {
				t.Errorf("top = %d, want %d", top, tc.top)
			}
		})
	}
}

// TestLandedTimesAppendOnly: appending a commit to a main line, whatever
// its date, never moves an earlier commit's landing time back (the
// property the publish guard needs: a published modified never goes back).
func TestLandedTimesAppendOnly(t *testing.T) {
	now := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	var chain []time.Time // HEAD first
	var before []time.Time
	seed := uint64(7)
	for range 200 {
		seed = seed*6364136223846793005 + 1442695040888963407
		d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seed>>40%(40*24)) * time.Hour)
		chain = append([]time.Time{d}, chain...)
		after, _ := landedTimes(chain, now)
		for i := range before { // before[i] is after[i+1]: one commit was added on top
			if after[i+1].Before(before[i]) {
				t.Fatalf("appending %s moved a landing time back from %s to %s", d, before[i], after[i+1])
			}
		}
		for i := 1; i < len(after); i++ {
			if after[i].After(after[i-1]) {
				t.Fatalf("landing times go down towards HEAD: %s below %s", after[i-1], after[i])
			}
		}
		before = after
	}
}
