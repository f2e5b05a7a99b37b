package osv_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/osv/osvtest"
	"github.com/psf/advisory-builder/internal/testenv"
)

// sharedRecords returns the real records under ../shared/osv/records
// (psf/ and other/), keyed by their path below records/, read in place.
func sharedRecords(t testing.TB) map[string][]byte {
	t.Helper()
	dir := testenv.Shared(t, "osv", "records")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no records under %s: %v", dir, err)
	}
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		out[filepath.ToSlash(rel)] = b
	}
	return out
}

// sharedVerdict is what the checks say of one shared record. Records not
// in sharedVerdicts are accepted by everything: our schema, the official
// schema, the OSV protobuf and ValidateStrict.
type sharedVerdict struct {
	schemaRefuses string // problem both schemas report ("" = both accept)
	strictRefuses string // problem ValidateStrict reports ("" = accepts)
}

const noSchemaVersion = `missing "schema_version"`

var sharedVerdicts = map[string]sharedVerdict{
	// The three deliberately flawed records of the OSV linter's tests.
	// No introduced event in the GIT range: the specification's MUST, and
	// both schemas check it.
	"other/nointroduced-CVE-2023-41045.json": {schemaRefuses: "at least one introduced", strictRefuses: "at least one introduced"},
	// A GIT range whose introduced and fixed name the same commit: no
	// schema can compare two array items' values; ValidateStrict does.
	"other/nondistinct-CVE-2018-5407.json": {strictRefuses: "already appears in event"},
	// The package "Gradi0" does not exist on PyPI: only a registry look-up
	// can tell, so every offline check accepts the record.
	"other/nopackage-GHSA-9v2f-6vcg-3hgv.json": {},

	// Valid OSV without schema_version (the reader assumes 1.0.0); records
	// this project writes always declare theirs.
	"other/CVE-2018-5407.json":       {strictRefuses: noSchemaVersion},
	"other/CVE-2023-41045.json":      {strictRefuses: noSchemaVersion},
	"other/PYSEC-2023-74.json":       {strictRefuses: noSchemaVersion},
	"other/SUSE-FU-2022_0444-1.json": {strictRefuses: noSchemaVersion},

	// PSF records published with the zero time as modified, before their
	// own publication date.
	"psf/PSF-2013-3.json":  {strictRefuses: "before published"},
	"psf/PSF-2016-9.json":  {strictRefuses: "before published"},
	"psf/PSF-2017-9.json":  {strictRefuses: "before published"},
	"psf/PSF-2017-11.json": {strictRefuses: "before published"},
	"psf/PSF-2018-7.json":  {strictRefuses: "before published"},
	"psf/PSF-2019-13.json": {strictRefuses: "before published"},
	"psf/PSF-2019-15.json": {strictRefuses: "before published"},
	"psf/PSF-2019-17.json": {strictRefuses: "before published"},
}

// TestSharedRecordsAgreement checks that our schema and the official one
// give the same verdict on every shared record, and that the verdicts are
// the ones in sharedVerdicts.
func TestSharedRecordsAgreement(t *testing.T) {
	recs := sharedRecords(t)
	for name := range sharedVerdicts {
		if _, ok := recs[name]; !ok {
			t.Errorf("sharedVerdicts lists %s, which is not under ../shared/osv/records", name)
		}
	}
	official := osvtest.Official(t)
	for _, name := range slices.Sorted(maps.Keys(recs)) {
		data := recs[name]
		want := sharedVerdicts[name]
		ours, theirs := osv.Validate(data), official.Validate(data)
		if (ours == nil) != (theirs == nil) {
			t.Errorf("%s: schemas disagree:\n ours:     %v\n official: %v", name, ours, theirs)
		}
		checkVerdict(t, name+" (our schema)", ours, want.schemaRefuses)
		checkVerdict(t, name+" (ValidateStrict)", osv.ValidateStrict(data), want.strictRefuses)
	}
}

func checkVerdict(t *testing.T, name string, err error, refuses string) {
	t.Helper()
	switch {
	case refuses == "" && err != nil:
		t.Errorf("%s: refused: %v", name, err)
	case refuses != "" && err == nil:
		t.Errorf("%s: accepted, want refused with %q", name, refuses)
	case refuses != "" && !strings.Contains(err.Error(), refuses):
		t.Errorf("%s: refused with %v, want %q", name, err, refuses)
	}
}

// deliberateDifferences are the bad records (badCases) that the official
// schema accepts and ours refuses, with the reason and whether the OSV
// protobuf (osv.dev, osv-scanner) accepts them. docs/osv-schema.md carries
// the same table.
var deliberateDifferences = map[string]struct {
	protobufAccepts bool
	why             string
}{
	"id with a slash":                    {true, "spec: id is <DB>-<ENTRYID>; an ID is also a file name here, so no '/'"},
	"id with nothing after the prefix":   {true, "spec: id is <DB>-<ENTRYID>; ENTRYID is not empty"},
	"schema_version with a v":            {true, "spec: SemVer 2.0.0 with no leading v"},
	"timestamp beyond nanoseconds":       {false, "the OSV protobuf Timestamp holds at most 9 fractional digits"},
	"timestamp in year 0":                {false, "the OSV protobuf Timestamp starts at year 0001"},
	"empty event value":                  {true, "an empty version or commit means nothing"},
	"GIT fixed zero":                     {true, "spec: GIT values are full commit hashes; \"0\" is an introduced-only special value"},
	"SEMVER version with a v":            {true, "spec: SEMVER values are SemVer 2.0.0 with no leading v"},
	"SEMVER two-part version":            {true, "spec: SEMVER values are SemVer 2.0.0"},
	"unknown field in a range":           {false, "the spec defines the fields; the protobuf refuses others (osv-scanner drops the record)"},
	"no package and no GIT range":        {true, "an entry without a package matches nothing unless a GIT range names the repository"},
	"no package, no ranges, no versions": {true, "an affected entry that names nothing affected says nothing; the record leaves it out"},
	"no package and an ECOSYSTEM range":  {true, "spec: ECOSYSTEM and SEMVER versions are interpreted in the package's ecosystem"},
	"ecosystem missing its release":      {true, "spec: this ecosystem's string has a :<RELEASE> suffix"},
	"Alpine release without v":           {true, "spec: Alpine must have a :v<RELEASE-NUMBER> suffix"},
	"purl with a version":                {true, "spec: purl identifies the package without the @version component"},
	"unknown field in a package":         {false, "as for ranges: the protobuf refuses unknown fields"},
	"empty version":                      {true, "an empty version means nothing"},
	"CVSS 3 vector without base metrics": {true, "CVSS 3.x: every base metric is mandatory in a vector"},
	"credit with an empty name":          {true, "spec: each credit names someone"},
	"aliases null":                       {true, "spec: aliases is a list; null is a leftover of encoders"},
	"alias with a space":                 {true, "spec: aliases are IDs in the form of id"},
	"summary on two lines":               {true, "spec: summary is a one-line summary"},
}

func TestDeliberateDifferences(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range badCases {
		if !c.officialAccepts {
			continue
		}
		seen[c.name] = true
		d, ok := deliberateDifferences[c.name]
		if !ok {
			t.Errorf("%s: the official schema accepts it but deliberateDifferences does not say why", c.name)
			continue
		}
		base := c.base
		if base == "" {
			base = baseRecord
		}
		_, err := osvtest.DecodeProto(edited(t, base, c.edits...))
		if got := err == nil; got != d.protobufAccepts {
			t.Errorf("%s: protobuf accepts=%v, table says %v (%v)", c.name, got, d.protobufAccepts, err)
		}
	}
	for name := range deliberateDifferences {
		if !seen[name] {
			t.Errorf("deliberateDifferences lists %q, which is no badCase the official schema accepts", name)
		}
	}
}

// TestSharedRecordsProtobufRoundTrip decodes every shared record into the
// OSV protobuf (osvschema.Vulnerability) with unknown fields refused, as a
// strict osv-scanner would, encodes it back and compares. None of the
// shared records has a field the protobuf drops; the only differences are
// empty lists, which protobuf cannot tell from absent ones.
func TestSharedRecordsProtobufRoundTrip(t *testing.T) {
	wantLost := map[string][]string{
		"other/SUSE-FU-2022_0444-1.json": {"/affected: [] dropped", "/aliases: [] dropped"},
	}
	for name, data := range sharedRecords(t) {
		v := osvtest.CheckProto(t, name, data)
		back, err := protojson.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var before, after any
		if err := json.Unmarshal(data, &before); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(back, &after); err != nil {
			t.Fatal(err)
		}
		var lost []string
		diffJSON("", before, after, &lost)
		slices.Sort(lost)
		if !slices.Equal(lost, wantLost[name]) {
			t.Errorf("%s: round trip through the OSV protobuf changed %q, want %q", name, lost, wantLost[name])
		}
	}
}

// diffJSON lists where b differs from a.
func diffJSON(path string, a, b any, out *[]string) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			*out = append(*out, path+": object became "+fmt.Sprint(b))
			return
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok {
				*out = append(*out, fmt.Sprintf("%s/%s: %s dropped", path, k, compact(v)))
				continue
			}
			diffJSON(path+"/"+k, v, w, out)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				*out = append(*out, path+"/"+k+": added")
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			*out = append(*out, path+": list became "+compact(b))
			return
		}
		for i := range x {
			diffJSON(fmt.Sprintf("%s/%d", path, i), x[i], y[i], out)
		}
	default:
		if compact(a) != compact(b) {
			*out = append(*out, fmt.Sprintf("%s: %s became %s", path, compact(a), compact(b)))
		}
	}
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestOurSchemaIsStricter checks on every good and shared record that what
// our schema accepts, the official schema and the protobuf accept too.
func TestOurSchemaIsStricter(t *testing.T) {
	all := sharedRecords(t)
	for name, data := range goodRecords(t) {
		all["good/"+name] = data
	}
	for name, data := range all {
		if osv.Validate(data) != nil {
			continue
		}
		osvtest.CheckProto(t, name, data) // the protobuf needs no shared data: before the official schema, which may skip
		osvtest.CheckAgainstOfficial(t, name, data)
	}
}
