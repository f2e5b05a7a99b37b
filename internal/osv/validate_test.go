package osv_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/osv/osvtest"
)

// badCase is a record our schema refuses. officialAccepts records whether
// the official OSV schema accepts it anyway: those rows are the deliberate
// differences listed in docs/osv-schema.md.
type badCase struct {
	name            string
	base            string
	edits           []any
	path            string // JSON pointer of the expected problem
	want            string // substring of the expected message
	officialAccepts bool
}

var badCases = []badCase{
	// Required fields and identifiers.
	{name: "missing id", edits: []any{"/id", del}, path: "", want: `missing required field "id"`},
	{name: "missing modified", edits: []any{"/modified", del}, path: "", want: `missing required field "modified"`},
	{name: "unknown id prefix", edits: []any{"/id", "FOO-2024-1"}, path: "/id", want: "database prefix"},
	{name: "id with a slash", edits: []any{"/id", "PSF-2024/../../x"}, path: "/id", want: "<DB>-<ENTRYID>", officialAccepts: true},
	{name: "id with nothing after the prefix", edits: []any{"/id", "PSF-"}, path: "/id", want: "<DB>-<ENTRYID>", officialAccepts: true},
	{name: "schema_version with a v", edits: []any{"/schema_version", "v1.7.5"}, path: "/schema_version", want: "1.7.5", officialAccepts: true},

	// Timestamps.
	{name: "timestamp with a space", edits: []any{"/modified", "2024-06-17 15:11:36Z"}, path: "/modified", want: "RFC 3339"},
	{name: "timestamp with an offset", edits: []any{"/modified", "2024-06-17T15:11:36+02:00"}, path: "/modified", want: "in UTC"},
	{name: "timestamp date only", edits: []any{"/published", "2024-06-17"}, path: "/published", want: "RFC 3339"},
	{name: "timestamp impossible day", edits: []any{"/published", "2024-02-30T00:00:00Z"}, path: "/published", want: "2024-02-30"},
	{name: "timestamp with text around it", edits: []any{"/modified", "on 2024-06-17T15:11:36Z"}, path: "/modified", want: "RFC 3339"},
	{name: "timestamp beyond nanoseconds", edits: []any{"/published", "2024-06-17T15:05:58.1234567891Z"}, path: "/published", want: "RFC 3339", officialAccepts: true},
	{name: "timestamp in year 0", edits: []any{"/published", "0000-01-01T00:00:00Z"}, path: "/published", want: "RFC 3339", officialAccepts: true},
	{name: "withdrawn not a string", edits: []any{"/withdrawn", 2024}, path: "/withdrawn", want: "got number 2024"},

	// Events and ranges.
	{name: "event with two keys", edits: []any{"/affected/0/ranges/0/events/1", map[string]any{"introduced": "0", "fixed": "22adf29da8d99933ffed8647d3e0726edd16f7f8"}}, path: "/affected/0/ranges/0/events/1", want: "exactly one key"},
	{name: "empty event", edits: []any{"/affected/0/ranges/0/events/1", map[string]any{}}, path: "/affected/0/ranges/0/events/1", want: "exactly one key"},
	{name: "misspelled event key", edits: []any{"/affected/0/ranges/0/events/1", map[string]any{"fix": "22adf29da8d99933ffed8647d3e0726edd16f7f8"}}, path: "/affected/0/ranges/0/events/1", want: `got an object with "fix"`},
	{name: "empty event value", base: pipRecord, edits: []any{"/affected/0/ranges/0/events/1/fixed", ""}, path: "/affected/0/ranges/0/events/1/fixed", want: "non-empty", officialAccepts: true},
	{name: "no introduced event", edits: []any{"/affected/0/ranges/0/events/0", map[string]any{"limit": "22adf29da8d99933ffed8647d3e0726edd16f7f8"}}, path: "/affected/0/ranges/0/events", want: "at least one introduced"},
	{name: "no events", edits: []any{"/affected/0/ranges/0/events", []any{}}, path: "/affected/0/ranges/0/events", want: "at least one introduced"},
	{name: "fixed with last_affected", edits: []any{"/affected/0/ranges/0/events/2", map[string]any{"last_affected": "40d75c2b7f5c67e254d0a025e0f2e2c7ada7f69f"}}, path: "/affected/0/ranges/0/events", want: "not both"},
	{name: "unknown range type", edits: []any{"/affected/0/ranges/0/type", "BRANCH"}, path: "/affected/0/ranges/0/type", want: "GIT, SEMVER or ECOSYSTEM"},
	{name: "range without type", edits: []any{"/affected/0/ranges/0/type", del}, path: "/affected/0/ranges/0", want: `missing required field "type"`},
	{name: "GIT range without repo", edits: []any{"/affected/0/ranges/0/repo", del}, path: "/affected/0/ranges/0", want: "needs repo"},
	{name: "GIT short commit", edits: []any{"/affected/0/ranges/0/events/1/fixed", "22adf29"}, path: "/affected/0/ranges/0/events/1/fixed", want: "full 40"},
	{name: "GIT upper-case commit", edits: []any{"/affected/0/ranges/0/events/1/fixed", "22ADF29DA8D99933FFED8647D3E0726EDD16F7F8"}, path: "/affected/0/ranges/0/events/1/fixed", want: "lower-case"},
	{name: "GIT fixed zero", edits: []any{"/affected/0/ranges/0/events/1/fixed", "0"}, path: "/affected/0/ranges/0/events/1/fixed", want: "full 40", officialAccepts: true},
	{name: "GIT introduced tag name", edits: []any{"/affected/0/ranges/0/events/0/introduced", "v3.12.0"}, path: "/affected/0/ranges/0/events/0/introduced", want: `introduced is "0" or a full`},
	{name: "SEMVER version with a v", base: pipRecord, edits: []any{"/affected/0/ranges/0/type", "SEMVER", "/affected/0/ranges/0/events/1/fixed", "v23.3.0"}, path: "/affected/0/ranges/0/events/1/fixed", want: "SemVer 2.0.0", officialAccepts: true},
	{name: "SEMVER two-part version", base: pipRecord, edits: []any{"/affected/0/ranges/0/type", "SEMVER"}, path: "/affected/0/ranges/0/events/1/fixed", want: "SemVer 2.0.0", officialAccepts: true},
	{name: "unknown field in a range", edits: []any{"/affected/0/ranges/0/branch", "main"}, path: "/affected/0/ranges/0", want: `unknown field "branch"`, officialAccepts: true},

	// Affected and packages.
	{name: "no package and no GIT range", base: pipRecord, edits: []any{"/affected/0/package", del, "/affected/0/ranges/1", del}, path: "/affected/0/ranges", want: "without a package", officialAccepts: true},
	{name: "no package and an ECOSYSTEM range", base: pipRecord, edits: []any{"/affected/0/package", del}, path: "/affected/0/ranges", want: "GIT ranges only", officialAccepts: true},
	{name: "no package, no ranges, no versions", base: pipRecord, edits: []any{"/affected/0/package", del, "/affected/0/ranges", del, "/affected/0/versions", del}, path: "/affected/0", want: "without a package", officialAccepts: true},
	{name: "package without name", base: pipRecord, edits: []any{"/affected/0/package/name", del}, path: "/affected/0/package", want: `missing required field "name"`},
	{name: "ecosystem misspelled", base: pipRecord, edits: []any{"/affected/0/package/ecosystem", "pypi"}, path: "/affected/0/package/ecosystem", want: "spelled exactly"},
	{name: "ecosystem missing its release", base: pipRecord, edits: []any{"/affected/0/package/ecosystem", "Ubuntu"}, path: "/affected/0/package/ecosystem", want: "suffix", officialAccepts: true},
	{name: "Alpine release without v", base: pipRecord, edits: []any{"/affected/0/package/ecosystem", "Alpine:3.20"}, path: "/affected/0/package/ecosystem", want: "Alpine:v", officialAccepts: true},
	{name: "purl with a version", base: pipRecord, edits: []any{"/affected/0/package/purl", "pkg:pypi/pip@23.3"}, path: "/affected/0/package/purl", want: "without a version", officialAccepts: true},
	{name: "unknown field in a package", base: pipRecord, edits: []any{"/affected/0/package/version", "23.3"}, path: "/affected/0/package", want: `unknown field "version"`, officialAccepts: true},
	{name: "empty version", edits: []any{"/affected/0/versions/1", ""}, path: "/affected/0/versions/1", want: "non-empty", officialAccepts: true},
	{name: "versions not a list", edits: []any{"/affected/0/versions", "v3.12.0"}, path: "/affected/0/versions", want: "must be an array"},
	{name: "severity at both levels", edits: []any{"/affected/0/severity", []any{map[string]any{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N"}}}, path: "/affected/0", want: "top-level severity"},

	// Severity.
	{name: "unknown severity type", edits: []any{"/severity/0/type", "CVSS_V5"}, path: "/severity/0/type", want: "CVSS_V2, CVSS_V3, CVSS_V4 or Ubuntu"},
	{name: "severity without score", edits: []any{"/severity/0/score", del}, path: "/severity/0", want: `missing required field "score"`},
	{name: "CVSS 4.0 vector cut short", edits: []any{"/severity/0/score", "CVSS:4.0/AV:N/AC:L"}, path: "/severity/0/score", want: "CVSS 4.0 vector"},
	{name: "CVSS 4.0 vector out of order", edits: []any{"/severity/0/score", "CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N"}, path: "/severity/0/score", want: "CVSS 4.0 vector"},
	{name: "CVSS 3 vector typed as 4", edits: []any{"/severity/0/score", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, path: "/severity/0/score", want: "CVSS 4.0 vector"},
	{name: "CVSS 3 vector without base metrics", edits: []any{"/severity/0", map[string]any{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L"}}, path: "/severity/0/score", want: "eight base metrics", officialAccepts: true},
	{name: "CVSS 2 vector with a trailing slash", edits: []any{"/severity/0", map[string]any{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P/"}}, path: "/severity/0/score", want: "CVSS 2.0 vector"},
	{name: "Ubuntu priority upper case", edits: []any{"/severity/0", map[string]any{"type": "Ubuntu", "score": "HIGH"}}, path: "/severity/0/score", want: "lower case"},

	// References and credits.
	{name: "unknown reference type", edits: []any{"/references/0/type", "LINK"}, path: "/references/0/type", want: "ADVISORY, ARTICLE"},
	{name: "relative reference url", edits: []any{"/references/0/url", "github.com/python/cpython/issues/1"}, path: "/references/0/url", want: "fully qualified URL"},
	{name: "reference without url", edits: []any{"/references/0/url", del}, path: "/references/0", want: `missing required field "url"`},
	{name: "unknown credit type", edits: []any{"/credits/0/type", "AUTHOR"}, path: "/credits/0/type", want: "FINDER, REPORTER"},
	{name: "credit without name", edits: []any{"/credits/0/name", del}, path: "/credits/0", want: `missing required field "name"`},
	{name: "credit with an empty name", edits: []any{"/credits/0/name", ""}, path: "/credits/0/name", want: "non-empty name", officialAccepts: true},

	// Shapes and unknown fields.
	{name: "unknown top-level field", edits: []any{"/title", "x"}, path: "", want: `unknown field "title"`},
	{name: "aliases null", edits: []any{"/aliases", nil}, path: "/aliases", want: "must be an array, not null", officialAccepts: true},
	{name: "aliases a string", edits: []any{"/aliases", "CVE-2024-4032"}, path: "/aliases", want: "must be an array"},
	{name: "alias with a space", edits: []any{"/aliases/0", "CVE 2024 4032"}, path: "/aliases/0", want: "without spaces", officialAccepts: true},
	{name: "summary on two lines", edits: []any{"/summary", "line one\nline two"}, path: "/summary", want: "one line", officialAccepts: true},
	{name: "database_specific a list", edits: []any{"/database_specific", []any{}}, path: "/database_specific", want: "must be an object"},
}

func TestValidateRefusesBadRecords(t *testing.T) {
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			base := c.base
			if base == "" {
				base = baseRecord
			}
			data := edited(t, base, c.edits...)
			err := osv.Validate(data)
			if err == nil {
				t.Fatalf("accepted %s", data)
			}
			assertProblem(t, err, c.path, c.want)
			offErr := osvtest.Official(t).Validate(data)
			if got := offErr == nil; got != c.officialAccepts {
				t.Errorf("official schema accepts=%v, table says %v (official error: %v)", got, c.officialAccepts, offErr)
			}
		})
	}
}

// assertProblem checks that err lists a problem at path whose message
// contains want.
func assertProblem(t *testing.T, err error, path, want string) {
	t.Helper()
	var verr *osv.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("error %T %v is not a *osv.ValidationError", err, err)
	}
	for _, p := range verr.Problems {
		if p.Path == path && strings.Contains(p.Message, want) {
			return
		}
	}
	t.Errorf("no problem at %q containing %q in:\n%v", path, want, strings.Join(lines(verr), "\n"))
}

func lines(e *osv.ValidationError) []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.String()
	}
	return out
}

// TestValidateRefusesBadJSON covers input that is not one JSON object.
func TestValidateRefusesBadJSON(t *testing.T) {
	cases := []struct {
		name, data, path, want string
	}{
		{"empty", "", "", "not valid JSON"},
		{"not JSON", "id: PSF-2024-5", "", "not valid JSON"},
		{"array", "[]", "", "must be an object, not an array"},
		{"trailing data", `{"id":"PSF-2024-5","modified":"2024-06-17T15:11:36Z"} {}`, "", "not valid JSON"},
		{"duplicate field", `{"id":"PSF-2024-5","modified":"2024-06-17T15:11:36Z","id":"PSF-2024-6"}`, "/id", "appears twice"},
		{"nested duplicate field", `{"id":"PSF-2024-5","modified":"2024-06-17T15:11:36Z","credits":[{"name":"a","name":"b"}]}`, "/credits/0/name", "appears twice"},
		{"invalid UTF-8", "{\"id\":\"PSF-2024-5\",\"modified\":\"2024-06-17T15:11:36Z\",\"summary\":\"\xff\"}", "/summary", "not valid JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := osv.Validate([]byte(c.data))
			if err == nil {
				t.Fatal("accepted")
			}
			assertProblem(t, err, c.path, c.want)
		})
	}
}

// goodRecords are records every check accepts: ours, the official schema,
// the OSV protobuf, and the strict rules.
func goodRecords(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"cpython":        []byte(baseRecord),
		"pip":            []byte(pipRecord),
		"minimal":        []byte(`{"schema_version":"1.7.5","id":"PSF-2025-1","modified":"2025-01-01T00:00:00Z"}`),
		"withdrawn":      edited(t, baseRecord, "/withdrawn", "2024-06-17T15:10:00Z"),
		"last_affected":  edited(t, baseRecord, "/affected/0/ranges/0/events/2", map[string]any{"last_affected": "40d75c2b7f5c67e254d0a025e0f2e2c7ada7f69f"}, "/affected/0/ranges/0/events/1", del),
		"placeholder id": edited(t, baseRecord, "/id", "PSF-0000-ipaddress-private"),
		"private prefix": edited(t, baseRecord, "/id", "x_PSF-1"),
		"cvss3":          edited(t, baseRecord, "/severity/0", map[string]any{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P"}),
		"cvss3 reorder":  edited(t, baseRecord, "/severity/0", map[string]any{"type": "CVSS_V3", "score": "CVSS:3.0/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H"}),
		"cvss2":          edited(t, baseRecord, "/severity/0", map[string]any{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"}),
		"cvss4 full":     edited(t, baseRecord, "/severity/0/score", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MSI:S/U:Amber"),
		"package severity": edited(t, baseRecord, "/severity", del, "/affected/0/severity",
			[]any{map[string]any{"type": "Ubuntu", "score": "medium"}}),
		"semver": edited(t, pipRecord, "/affected/0/ranges/0/type", "SEMVER", "/affected/0/ranges/0/events/1/fixed", "23.3.0-rc.1+build.5",
			"/affected/0/ranges/0/events/2", map[string]any{"limit": "*"}),
		"ubuntu ecosystem":  edited(t, pipRecord, "/affected/0/package/ecosystem", "Ubuntu:Pro:18.04:LTS", "/affected/0/package/purl", del),
		"alpine ecosystem":  edited(t, pipRecord, "/affected/0/package/ecosystem", "Alpine:v3.20", "/affected/0/package/purl", "pkg:apk/alpine/pip?arch=source"),
		"all credit types":  edited(t, baseRecord, "/credits", allCredits()),
		"empty lists":       edited(t, baseRecord, "/aliases", []any{}, "/references", []any{}),
		"nanosecond stamps": edited(t, baseRecord, "/modified", "2024-06-17T15:11:36.123456789Z"),
	}
}

func allCredits() []any {
	var out []any
	for _, ty := range []string{"FINDER", "REPORTER", "ANALYST", "COORDINATOR", "REMEDIATION_DEVELOPER",
		"REMEDIATION_REVIEWER", "REMEDIATION_VERIFIER", "TOOL", "SPONSOR", "OTHER"} {
		out = append(out, map[string]any{"name": "n " + ty, "type": ty, "contact": []any{"mailto:x@example.org"}})
	}
	return append(out, map[string]any{"name": "no type"})
}

func TestValidateAcceptsGoodRecords(t *testing.T) {
	for name, data := range goodRecords(t) {
		t.Run(name, func(t *testing.T) {
			if err := osv.ValidateStrict(data); err != nil {
				t.Errorf("ours: %v", err)
			}
			osvtest.CheckProto(t, name, data) // the protobuf needs no shared data: before the official schema, which may skip
			osvtest.CheckAgainstOfficial(t, name, data)
		})
	}
}

// strictCases are schema-valid records that ValidateStrict refuses.
var strictCases = []badCase{
	{name: "modified before published", edits: []any{"/modified", "2024-06-17T15:00:00Z"}, path: "/modified", want: "before published"},
	{name: "modified at year 1", edits: []any{"/modified", "0001-01-01T00:00:00Z"}, path: "/modified", want: "before published"},
	{name: "withdrawn before published", edits: []any{"/withdrawn", "2024-06-17T15:00:00Z"}, path: "/withdrawn", want: "before published"},
	{name: "withdrawn after modified", edits: []any{"/withdrawn", "2024-06-18T00:00:00Z"}, path: "/modified", want: "before withdrawn"},
	{name: "no schema_version", edits: []any{"/schema_version", del}, path: "", want: `missing "schema_version"`},
	{name: "duplicate alias", edits: []any{"/aliases/1", "CVE-2024-4032"}, path: "/aliases/1", want: "already listed at /aliases/0"},
	{name: "own id as alias", edits: []any{"/aliases/1", "PSF-2024-5"}, path: "/aliases/1", want: "own id"},
	{name: "own id as related", edits: []any{"/related", []any{"PSF-2024-5"}}, path: "/related/0", want: "own id"},
	{name: "same commit twice", edits: []any{"/affected/0/ranges/0/events/2/fixed", "22adf29da8d99933ffed8647d3e0726edd16f7f8"}, path: "/affected/0/ranges/0/events/2", want: "already appears in event 1"},
	{name: "introduced equals fixed", edits: []any{"/affected/0/ranges/0/events/0/introduced", "22adf29da8d99933ffed8647d3e0726edd16f7f8"}, path: "/affected/0/ranges/0/events/1", want: "already appears in event 0"},
	{name: "ECOSYSTEM fixed zero", base: pipRecord, edits: []any{"/affected/0/ranges/0/events/1/fixed", "0"}, path: "/affected/0/ranges/0/events/1", want: `fixed "0" is meaningless`},
}

func TestValidateStrict(t *testing.T) {
	for _, c := range strictCases {
		t.Run(c.name, func(t *testing.T) {
			base := c.base
			if base == "" {
				base = baseRecord
			}
			data := edited(t, base, c.edits...)
			if err := osv.Validate(data); err != nil {
				t.Fatalf("the schema should accept this record: %v", err)
			}
			err := osv.ValidateStrict(data)
			if err == nil {
				t.Fatalf("ValidateStrict accepted %s", data)
			}
			assertProblem(t, err, c.path, c.want)
		})
	}
}

func TestProblemsAreSortedAndComplete(t *testing.T) {
	data := edited(t, baseRecord,
		"/references/0/type", "LINK",
		"/affected/0/ranges/0/events/1/fixed", "abc",
		"/modified", "yesterday",
		"/affected/0/versions/1", "")
	var verr *osv.ValidationError
	if !errors.As(osv.Validate(data), &verr) {
		t.Fatal("want a *osv.ValidationError")
	}
	var paths []string
	for _, p := range verr.Problems {
		paths = append(paths, p.Path)
	}
	want := []string{"/affected/0/ranges/0/events/1/fixed", "/affected/0/versions/1", "/modified", "/references/0/type"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("paths %v, want %v\n%v", paths, want, verr)
	}
}

// TestValidateConcurrent checks that one compiled schema serves many
// goroutines (run with -race).
func TestValidateConcurrent(t *testing.T) {
	good, bad := []byte(baseRecord), edited(t, baseRecord, "/modified", "yesterday")
	done := make(chan error, 8)
	for range 8 {
		go func() {
			var err error
			for range 20 {
				if e := osv.Validate(good); e != nil {
					err = e
				}
				if osv.Validate(bad) == nil {
					err = errors.New("accepted a bad record")
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
