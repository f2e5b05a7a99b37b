package osv

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/verdict"
)

// fullAdvisory sets every field that reaches database_specific.
func fullAdvisory() (*advisory.Advisory, verdict.Summary) {
	a := &advisory.Advisory{
		Severity: "high", CWEs: []string{"CWE-400", "CWE-22"}, Components: []string{"tarfile", "tarfile.open()"},
		CWENames:  []advisory.CWEName{{ID: "CWE-400", Name: "Uncontrolled Resource Consumption"}},
		Platforms: []string{"windows"},
	}
	s := verdict.Summary{Source: verdict.Authored, Reaches: true, Branches: []lock.BranchResult{
		{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "3.12.0", FixedIn: "3.12.6", FixCommit: strings.Repeat("a", 40)},
		{Branch: "3.8", Status: lock.StatusUnfixed, FirstAffected: "0"},
		{Branch: "3.7", Status: lock.StatusNotAffected},
	}}
	return a, s
}

// TestDatabaseSpecificBytes: the typed object writes exactly what the
// untyped map it replaced wrote (encoding/json sorts map keys), so the
// published records do not change; and it reads back to the same value.
func TestDatabaseSpecificBytes(t *testing.T) {
	a, s := fullAdvisory()
	cases := map[string]*DatabaseSpecific{
		"full":     NewDatabaseSpecific(a, s),
		"unknown":  NewDatabaseSpecific(&advisory.Advisory{}, verdict.Summary{Source: verdict.Unknown}),
		"computed": NewDatabaseSpecific(&advisory.Advisory{Severity: "low"}, verdict.Summary{Source: verdict.Computed, Reaches: true, Branches: s.Branches}),
	}
	for name, d := range cases {
		m := map[string]any{"versions_source": string(d.VersionsSource)}
		for k, v := range map[string]any{"branches": d.Branches, "components": d.Components, "cwe_ids": d.CWEIDs,
			"cwe_names": d.CWENames, "platforms": d.Platforms, "severity": d.Severity} {
			if !reflect.ValueOf(v).IsZero() {
				m[k] = v
			}
		}
		if d.FactsReach {
			m["facts_reach"] = true
		}
		want, _ := json.MarshalIndent(m, "", "  ")
		got, err := json.MarshalIndent(d, "", "  ")
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: typed object writes\n%s\nthe map wrote\n%s (%v)", name, got, want, err)
		}
		var back DatabaseSpecific
		if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(&back, d) {
			t.Errorf("%s: read back %+v (%v), wrote %+v", name, back, err, d)
		}
	}
	if d := cases["computed"]; d.FactsReach {
		t.Error("facts_reach written for a computed summary")
	}
}

// TestDatabaseSpecificOther: keys another database writes are kept, raw,
// and written after the known ones in key order.
func TestDatabaseSpecificOther(t *testing.T) {
	in := `{"github_reviewed":true,"cwe_ids":["CWE-77"],"nvd_published_at":null,"severity":"HIGH","a":{"b":[1,2]}}`
	var d DatabaseSpecific
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Keys(), " "); got != "a cwe_ids github_reviewed nvd_published_at severity" {
		t.Errorf("Keys() = %s", got)
	}
	out, err := json.Marshal(&d)
	want := `{"cwe_ids":["CWE-77"],"severity":"HIGH","a":{"b":[1,2]},"github_reviewed":true,"nvd_published_at":null}`
	if err != nil || string(out) != want {
		t.Errorf("wrote %s (%v), want %s", out, err, want)
	}
	if d.PSRTSeverity() != "high" {
		t.Errorf("PSRTSeverity() = %q", d.PSRTSeverity())
	}
}

// TestDatabaseSpecificHostile: a record is written by anyone; what a build
// never writes is refused, naming the field path.
func TestDatabaseSpecificHostile(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`[]`, `database_specific: want an object`},
		{`null`, `database_specific: want an object`},
		{`{"severity":7}`, `database_specific.severity: want a string, got a number`},
		{`{"severity":null}`, `database_specific.severity: null; leave the key out instead`},
		{`{"cwe_ids":"CWE-1"}`, `database_specific.cwe_ids: want a list, got a string`},
		{`{"cwe_ids":["CWE-1",2]}`, `database_specific.cwe_ids: want a string, got a number`},
		{`{"components":{}}`, `database_specific.components: want a list, got an object`},
		{`{"cwe_names":["x"]}`, `database_specific.cwe_names: want an object, got a list`},
		{`{"cwe_names":{"CWE-1":1}}`, `database_specific.cwe_names: want a string, got a number`},
		{`{"facts_reach":"yes"}`, `database_specific.facts_reach: want true or false, got a string`},
		{`{"platforms":[null]}`, ``}, // json leaves a null element "" (harmless: lint's rules apply to the source)
		{`{"versions_source":"maybe"}`, `database_specific.versions_source: "maybe" is not computed, authored or unknown`},
		{`{"versions_source":""}`, `database_specific.versions_source: "" is not computed, authored or unknown`},
		{`{"versions_source":1}`, `database_specific.versions_source: want a string, got a number`},
		{`{"branches":{}}`, `database_specific.branches: want a list, got an object`},
		{`{"branches":[1]}`, `database_specific.branches[0]: want an object, got a number`},
		{`{"branches":[null]}`, `database_specific.branches[0]: null; leave the key out instead`},
		{`{"branches":[{"branch":"3.12","status":"fixed"},{"branch":"3.11","status":"safe"}]}`,
			`database_specific.branches[1].status: "safe" is not fixed, unfixed or not-affected`},
		{`{"branches":[{"branch":"3.12"}]}`, `database_specific.branches[0].status: "" is not fixed, unfixed or not-affected`},
		{`{"branches":[{"branch":3.12,"status":"fixed"}]}`, `database_specific.branches[0].branch: want a string, got a number`},
		{`{"branches":[{"branch":"3.12","status":"fixed","fixed":"3.12.1"}]}`, `database_specific.branches[0]: unknown field "fixed"`},
		{`{"branches":[{"branch":"3.12","status":"fixed","fixed_in":["3.12.1"]}]}`, `database_specific.branches[0].fixed_in: want a string, got a list`},
	} {
		var d DatabaseSpecific
		err := json.Unmarshal([]byte(c.in), &d)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.in, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
			t.Errorf("%s: got %v, want %s", c.in, err, c.want)
		}
	}
	// Inside a record, the error still names the path.
	var v Vulnerability
	err := json.Unmarshal([]byte(`{"id":"PSF-2024-1","database_specific":{"branches":[{"status":"gone"}]}}`), &v)
	if err == nil || !strings.Contains(err.Error(), `database_specific.branches[0].status: "gone"`) {
		t.Errorf("record: %v", err)
	}
}

// TestStatedSummary: the version data a record states, as check reads a
// built directory.
func TestStatedSummary(t *testing.T) {
	rows := []lock.BranchResult{{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "v3.12.0", FixedIn: "v3.12.6"}}
	git := []Range{{Type: "GIT", Events: []Event{{Introduced: "0"}}}}
	for _, c := range []struct {
		name string
		v    Vulnerability
		want verdict.Summary
	}{
		{"none", Vulnerability{}, verdict.Summary{Source: verdict.Unknown}},
		{"legacy with versions", Vulnerability{Affected: []Affected{{Versions: []string{"v3.12.0"}, Ranges: git}}},
			verdict.Summary{Source: verdict.Computed, Versions: []string{"v3.12.0"}, FromRoot: true}},
		{"unknown drops data", Vulnerability{Affected: []Affected{{Versions: []string{"v3.12.0"}}},
			DatabaseSpecific: &DatabaseSpecific{VersionsSource: verdict.Unknown, Branches: rows}}, verdict.Summary{Source: verdict.Unknown}},
		{"authored", Vulnerability{DatabaseSpecific: &DatabaseSpecific{VersionsSource: verdict.Authored, Branches: rows, FactsReach: true}},
			verdict.Summary{Source: verdict.Authored, Branches: rows, Reaches: true, FromRoot: true}},
	} {
		if got := c.v.StatedSummary(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// FuzzDatabaseSpecific: any input is read or refused without a panic; what
// is read writes back to bytes that read to the same value, and its rows'
// statuses are the table's.
func FuzzDatabaseSpecific(f *testing.F) {
	a, s := fullAdvisory()
	full, _ := json.Marshal(NewDatabaseSpecific(a, s))
	for _, seed := range []string{string(full), `{}`, `{"x":1,"cwe_ids":[]}`, `{"branches":[{"branch":"3.12","status":"fixed"}]}`,
		`{"cwe_names":{"CWE-1":"a"},"github_reviewed":true}`, `{"versions_source":"unknown","facts_reach":false}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d DatabaseSpecific
		if json.Unmarshal(data, &d) != nil {
			return
		}
		for _, b := range d.Branches {
			if !lock.ValidStatus(b.Status) {
				t.Fatalf("read status %q", b.Status)
			}
		}
		out, err := json.Marshal(&d)
		if err != nil {
			t.Fatalf("write: %v", err)
		}
		var back DatabaseSpecific
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("read what was written %s: %v", out, err)
		}
		again, _ := json.Marshal(&back)
		if !bytes.Equal(out, again) {
			t.Fatalf("not stable: %s then %s", out, again)
		}
	})
}
