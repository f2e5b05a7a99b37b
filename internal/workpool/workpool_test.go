package workpool

import (
	"fmt"
	"testing"
	"time"
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

// TestOrdered: results come out in order whatever the scheduling, and the
// error returned is the first in order.
func TestOrdered(t *testing.T) {
	for _, tc := range []struct {
		n, workers, failAt, emitFailAt int
	}{{0, 2, -1, -1}, {1, 2, -1, -1}, {1000, 3, -1, -1}, {1000, 1, -1, -1}, {1000, 8, 500, -1}, {1000, 8, 700, 300}, {50, 4, 0, -1}} {
		var got []int
		err := Ordered(tc.n, tc.workers, func(i int) (int, error) {
			if i == tc.failAt {
				return 0, fmt.Errorf("work %d", i)
			}
			if i%7 == 0 {
				time.Sleep(time.Microsecond * time.Duration(i%13))
			}
			return i * i, nil
		}, func(i, v int) error {
			if i == tc.emitFailAt {
				return fmt.Errorf("emit %d", i)
			}
			if v != i*i {
				t.Fatalf("emit(%d, %d)", i, v)
			}
			got = append(got, i)
			return nil
		})
		stop := tc.n
		want := ""
		switch {
		case tc.emitFailAt >= 0 && (tc.failAt < 0 || tc.emitFailAt < tc.failAt):
			stop, want = tc.emitFailAt, fmt.Sprintf("emit %d", tc.emitFailAt)
		case tc.failAt >= 0:
			stop, want = tc.failAt, fmt.Sprintf("work %d", tc.failAt)
		}
		if (err == nil && want != "") || (err != nil && err.Error() != want) {
			t.Errorf("%+v: error %v, want %q", tc, err, want)
		}
		if len(got) != stop {
			t.Fatalf("%+v: emitted %d, want %d", tc, len(got), stop)
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("%+v: emitted %d at %d", tc, v, i)
			}
		}
	}
}
