package plaintext

import "testing"

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 advisories"}, {1, "1 advisory"}, {2, "2 advisories"}, {130, "130 advisories"}} {
		if got := Count(tc.n, "advisory", "advisories"); got != tc.want {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
