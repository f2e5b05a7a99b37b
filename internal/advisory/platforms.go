package advisory

import "strings"

// The platforms an advisory can be limited to (its `platforms` field):
// the operating systems CPython's PEP 11 supports, by the names people
// know them by. "unix" is every Unix-like system (Linux, macOS, the BSDs,
// Solaris, AIX, Android, iOS), for a flaw in POSIX-only code; the others
// name one system. wasi and emscripten are the WebAssembly platforms of
// PEP 11; android and ios are supported since 3.13.
var Platforms = []string{"windows", "macos", "linux", "unix", "android", "ios", "wasi", "emscripten"}

var platformLabels = map[string]string{
	"windows": "Windows", "macos": "macOS", "linux": "Linux", "unix": "Unix-like systems",
	"android": "Android", "ios": "iOS", "wasi": "WASI", "emscripten": "Emscripten",
}

// unixLike are the platforms "unix" covers.
var unixLike = map[string]bool{"macos": true, "linux": true, "unix": true, "android": true, "ios": true}

// IsPlatform reports whether s is one of Platforms.
func IsPlatform(s string) bool { return platformLabels[s] != "" }

// PlatformLabel is a platform's name for people ("Windows", "macOS").
func PlatformLabel(s string) string {
	if l := platformLabels[s]; l != "" {
		return l
	}
	return s
}

// PlatformsNote says which platforms an advisory is limited to, for people:
// "Windows only", "macOS and Linux only"; "" when it affects every platform.
func PlatformsNote(ps []string) string {
	if len(ps) == 0 {
		return ""
	}
	labels := make([]string, len(ps))
	for i, p := range ps {
		labels[i] = PlatformLabel(p)
	}
	if len(labels) == 1 {
		return labels[0] + " only"
	}
	return strings.Join(labels[:len(labels)-1], ", ") + " and " + labels[len(labels)-1] + " only"
}

// AffectsPlatform reports whether an advisory limited to ps (every
// platform when empty) can affect platform p. "unix" on either side
// matches every Unix-like platform, so a vague answer never hides an
// advisory; a value that is not a platform matches everything.
func AffectsPlatform(ps []string, p string) bool {
	if len(ps) == 0 || !IsPlatform(p) {
		return true
	}
	for _, x := range ps {
		if x == p || !IsPlatform(x) {
			return true
		}
		if (x == "unix" && unixLike[p]) || (p == "unix" && unixLike[x]) {
			return true
		}
	}
	return false
}
