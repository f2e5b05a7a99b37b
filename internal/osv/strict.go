package osv

import (
	"encoding/json"
	"fmt"
	"time"
)

// ValidateStrict is Validate plus the rules a JSON Schema cannot express,
// which every record this project writes must also follow:
//
//   - schema_version is present (a record without one claims OSV 1.0.0);
//   - published <= modified, published <= withdrawn <= modified, compared
//     as instants (osv.dev ignores an update whose modified did not grow,
//     so a record never predates its own publication);
//   - within one range no version or commit appears in two events (an
//     introduced equal to a fixed describes an empty or contradictory range);
//   - "0" appears only as an introduced value;
//   - aliases, related and upstream hold no duplicate and never the record's
//     own id.
//
// The error is a *ValidationError, like Validate's.
func ValidateStrict(data []byte) error {
	if err := Validate(data); err != nil {
		return err
	}
	var v Vulnerability
	if err := json.Unmarshal(data, &v); err != nil {
		return &ValidationError{Problems: []Problem{{Message: "not a record: " + err.Error()}}}
	}
	probs := StrictProblems(&v)
	if len(probs) == 0 {
		return nil
	}
	return &ValidationError{Problems: probs}
}

// StrictProblems applies ValidateStrict's extra rules to a record that is
// already schema-valid.
func StrictProblems(v *Vulnerability) []Problem {
	var out []Problem
	if v.SchemaVersion == "" {
		out = append(out, Problem{Path: "", Message: `missing "schema_version": records written here declare "` + SchemaVersion + `"`})
	}
	out = append(out, timeOrder(v)...)
	for _, f := range []struct {
		name string
		ids  []string
	}{{"aliases", v.Aliases}, {"related", v.Related}, {"upstream", v.Upstream}} {
		out = append(out, idListProblems(v.ID, f.name, f.ids)...)
	}
	for i, a := range v.Affected {
		for j, r := range a.Ranges {
			out = append(out, eventProblems(fmt.Sprintf("/affected/%d/ranges/%d", i, j), r.Events)...)
		}
	}
	return out
}

func timeOrder(v *Vulnerability) []Problem {
	var out []Problem
	before := func(path, a, b, what string) {
		if a == "" || b == "" {
			return
		}
		ta, _ := time.Parse(time.RFC3339Nano, a)
		tb, _ := time.Parse(time.RFC3339Nano, b)
		if ta.After(tb) {
			out = append(out, Problem{Path: path, Message: what})
		}
	}
	before("/modified", v.Published, v.Modified,
		fmt.Sprintf("modified %s is before published %s: modified is the last change and never precedes publication", v.Modified, v.Published))
	before("/withdrawn", v.Published, v.Withdrawn,
		fmt.Sprintf("withdrawn %s is before published %s", v.Withdrawn, v.Published))
	before("/modified", v.Withdrawn, v.Modified,
		fmt.Sprintf("modified %s is before withdrawn %s: withdrawing a record is a modification", v.Modified, v.Withdrawn))
	return out
}

func idListProblems(id, field string, ids []string) []Problem {
	var out []Problem
	seen := make(map[string]int, len(ids))
	for i, a := range ids {
		path := fmt.Sprintf("/%s/%d", field, i)
		if a == id {
			out = append(out, Problem{Path: path, Message: fmt.Sprintf("%s lists the record's own id %q", field, a)})
		}
		if first, dup := seen[a]; dup {
			out = append(out, Problem{Path: path, Message: fmt.Sprintf("%q is already listed at /%s/%d", a, field, first)})
			continue
		}
		seen[a] = i
	}
	return out
}

func eventProblems(rangePath string, events []Event) []Problem {
	var out []Problem
	seen := make(map[string]int, len(events))
	for i, e := range events {
		path := fmt.Sprintf("%s/events/%d", rangePath, i)
		key, val := eventKV(e)
		if val == "0" && key != "introduced" {
			out = append(out, Problem{Path: path, Message: fmt.Sprintf(`%s "0" is meaningless: "0" stands for "before every version" and only an introduced event may use it`, key)})
		}
		if first, dup := seen[val]; dup {
			out = append(out, Problem{Path: path, Message: fmt.Sprintf("%q already appears in event %d of this range: each version or commit appears in one event only", val, first)})
			continue
		}
		seen[val] = i
	}
	return out
}

func eventKV(e Event) (string, string) {
	switch {
	case e.Introduced != "":
		return "introduced", e.Introduced
	case e.Fixed != "":
		return "fixed", e.Fixed
	case e.LastAffected != "":
		return "last_affected", e.LastAffected
	}
	return "limit", e.Limit
}
