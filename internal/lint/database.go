package lint

import (
	"fmt"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
)

// Database checks what spans files: every ID and every alias is used once.
func Database(as []*advisory.Advisory) diag.List {
	var out diag.List
	ids := map[string]*advisory.Advisory{}
	aliases := map[string]*advisory.Advisory{}
	for _, a := range as {
		if prev, ok := ids[a.ID]; ok {
			out = append(out, at(a, "id", "id %s is already used by %s; each advisory needs its own id", a.ID, prev.Path))
		} else {
			ids[a.ID] = a
		}
		own := map[string]bool{}
		for i, al := range a.Aliases {
			if own[al] {
				continue // repeated within the file: reported by checkAliases
			}
			own[al] = true
			if prev, ok := aliases[al]; ok {
				out = append(out, at(a, fmt.Sprintf("aliases[%d]", i), "alias %s is already listed by %s (%s); one advisory per CVE", al, prev.ID, prev.Path))
			} else {
				aliases[al] = a
			}
		}
	}
	return out
}

func at(a *advisory.Advisory, path, format string, args ...any) diag.Diagnostic {
	p := a.Pos.Of(path)
	return diag.Diagnostic{File: a.Path, Line: p.Line, Col: p.Col, Severity: diag.Error, Rule: "unique", Message: fmt.Sprintf(format, args...)}
}
