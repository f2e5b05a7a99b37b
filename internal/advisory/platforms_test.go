package advisory

import "testing"

func TestPlatformsNote(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"windows"}, "Windows only"},
		{[]string{"macos", "linux"}, "macOS and Linux only"},
		{[]string{"windows", "macos", "ios"}, "Windows, macOS and iOS only"},
		{[]string{"unix"}, "Unix-like systems only"},
	} {
		if got := PlatformsNote(tc.in); got != tc.want {
			t.Errorf("PlatformsNote(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAffectsPlatform(t *testing.T) {
	for _, tc := range []struct {
		ps   []string
		p    string
		want bool
	}{
		{nil, "linux", true},            // every platform
		{[]string{"windows"}, "", true}, // no platform asked
		{[]string{"windows"}, "windows", true},
		{[]string{"windows"}, "linux", false},
		{[]string{"windows"}, "macos", false},
		{[]string{"unix"}, "linux", true},    // unix covers Linux
		{[]string{"unix"}, "windows", false}, // and not Windows
		{[]string{"linux"}, "unix", true},    // a vague question keeps it
		{[]string{"windows"}, "unix", false},
		{[]string{"wasi"}, "emscripten", false},
		{[]string{"windows"}, "beos", true}, // not a platform: nothing is left out
		{[]string{"beos"}, "linux", true},   // an unknown value never hides it
		{[]string{"macos", "windows"}, "windows", true},
	} {
		if got := AffectsPlatform(tc.ps, tc.p); got != tc.want {
			t.Errorf("AffectsPlatform(%q, %q) = %v, want %v", tc.ps, tc.p, got, tc.want)
		}
	}
}
