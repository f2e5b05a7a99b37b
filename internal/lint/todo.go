package lint

import (
	"fmt"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
)

// checkTODO refuses the TODO markers that `advisory new` scaffolds.
func checkTODO(c *checker) {
	for path, v := range textFields(c.a) {
		if strings.Contains(v, "TODO") {
			c.errorf("todo", path, "%s still holds a TODO marker; fill it in or remove the field", path)
		}
	}
}

// textFields lists every authored text value by field path.
func textFields(a *advisory.Advisory) map[string]string {
	m := map[string]string{
		"id": a.ID, "title": a.Title, "description": a.Description, "mitigations": a.Mitigations,
		"severity": a.Severity, "cvss": a.CVSS, "cvss_v3": a.CVSSV3, "introduced": a.Introduced, "published": a.Published,
	}
	add := func(prefix string, vs []string) {
		for i, v := range vs {
			m[fmt.Sprintf("%s[%d]", prefix, i)] = v
		}
	}
	add("aliases", a.Aliases)
	add("cwes", a.CWEs)
	add("components", a.Components)
	for i, b := range a.Branches {
		p := fmt.Sprintf("branches[%d]", i)
		m[p+".branch"], m[p+".fixed"], m[p+".introduced"], m[p+".last_affected"] = b.Branch, b.Fixed, b.Introduced, b.LastAffected
	}
	for i, cr := range a.Credits {
		m[fmt.Sprintf("credits[%d].name", i)] = cr.Name
	}
	for i, r := range a.References {
		m[fmt.Sprintf("references[%d].url", i)] = r.URL
	}
	for i, n := range a.CWENames {
		m[fmt.Sprintf("cwe_names[%d].name", i)] = n.Name
	}
	return m
}
