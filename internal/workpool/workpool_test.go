package workpool

import (
	"fmt"
	"testing"
)

func TestEachCoversEveryIndexOnce(t *testing.T) {
	for _, tc := range []struct{ n, workers int }{{0, 4}, {1, 1}, {7, 3}, {1000, 8}, {5, 0}} {
		seen := make([]int, tc.n)
		if err := Each(tc.n, tc.workers, func(i int) error { seen[i]++; return nil }); err != nil {
			t.Fatal(err)
		}
		for i, c := range seen {
			if c != 1 {
				t.Errorf("n=%d workers=%d: index %d ran %d times", tc.n, tc.workers, i, c)
			}
		}
	}
}

func TestEachReturnsLowestError(t *testing.T) {
	for range 50 {
		err := Each(100, 8, func(i int) error {
			if i%10 == 3 {
				return fmt.Errorf("fail %d", i)
			}
			return nil
		})
		if err == nil || err.Error() != "fail 3" {
			t.Fatalf("err = %v, want fail 3", err)
		}
	}
	if err := Each(3, 2, func(int) error { return nil }); err != nil {
		t.Fatalf("no failure, err = %v", err)
	}
}
