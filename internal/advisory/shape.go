package advisory

import (
	"fmt"

	"github.com/psf/advisory-builder/internal/diag"
)

// checkShape checks what the document must hold to be an advisory at all:
// required fields, the ID matching the file name and the shape of each
// branch entry (its "events"). Semantic rules live in package lint.
func checkShape(a *Advisory) diag.List {
	var out diag.List
	add := func(path, format string, args ...any) {
		p := a.Pos.Of(path)
		out = append(out, diag.Diagnostic{File: a.Path, Line: p.Line, Col: p.Col, Severity: diag.Error, Rule: "shape", Message: fmt.Sprintf(format, args...)})
	}
	required := []struct{ name, value string }{
		{"id", a.ID}, {"published", a.Published}, {"title", a.Title},
		{"description", a.Description},
	}
	for _, r := range required {
		if r.value == "" {
			add(r.name, "missing required field %q; see the format in README.md", r.name)
		}
	}
	if a.Introduced == "" {
		add("introduced", `missing "introduced": write introduced: "0" when every version up to the fix is affected, or the introducing commit`)
	}
	if a.ID != "" {
		checkID(a, add)
	}
	for i, b := range a.Branches {
		checkBranch(fmt.Sprintf("branches[%d]", i), b, add)
	}
	return out
}

func checkID(a *Advisory, add func(path, format string, args ...any)) {
	if !safeID().MatchString(a.ID) {
		add("id", "id %q may only hold letters, digits and dashes", a.ID)
		return
	}
	if want := IDFromPath(a.Path); a.ID != want {
		add("id", "id %q does not match the file name %q; rename the file to %s.yaml or fix the id", a.ID, want+".yaml", a.ID)
	}
}

func checkBranch(path string, b Branch, add func(path, format string, args ...any)) {
	switch {
	case b.Fixed != "" && b.LastAffected != "":
		add(path, "fixed together with last_affected; a branch entry takes one of them (use fixed when a fix commit exists)")
	case !b.HasCommit() && !b.HasFacts():
		add(path, "empty branch entry; give fixed (or last_affected, or introduced for a branch still unfixed), or the branch's release facts (first_affected and fixed_in, or status)")
	case b.HasFacts() && b.Branch == "":
		add(path, `release facts need the branch they belong to: add branch: "X.Y" (quoted) or branch: main`)
	}
}
