package lint

import (
	"strconv"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
)

// checkTODO refuses the TODO markers that `advisory new` scaffolds.
func checkTODO(c *checker) {
	for _, f := range textFields(c.a) {
		if strings.Contains(f.value, "TODO") {
			path := f.path()
			c.errorf("todo", path, "%s still holds a TODO marker; fill it in or remove the field", path)
		}
	}
}

// textField is an authored text value and its field path: field, then
// [index] when index is not -1, then .sub when sub is not empty (the path
// is spelled out only when a rule reports it).
type textField struct {
	field string
	index int
	sub   string
	value string
}

func (f textField) path() string {
	p := f.field
	if f.index >= 0 {
		p += "[" + strconv.Itoa(f.index) + "]"
	}
	if f.sub != "" {
		p += "." + f.sub
	}
	return p
}

// textFields lists every authored text value with its field path.
func textFields(a *advisory.Advisory) []textField {
	fs := make([]textField, 0, 9+len(a.Aliases)+len(a.CWEs)+len(a.Components)+4*len(a.Branches)+len(a.Credits)+len(a.References)+len(a.CWENames))
	fs = append(fs, []textField{
		{"id", -1, "", a.ID}, {"title", -1, "", a.Title}, {"description", -1, "", a.Description},
		{"mitigations", -1, "", a.Mitigations}, {"severity", -1, "", a.Severity}, {"cvss", -1, "", a.CVSS},
		{"cvss_v3", -1, "", a.CVSSV3}, {"introduced", -1, "", a.Introduced}, {"published", -1, "", a.Published},
	}...)
	add := func(field string, vs []string) {
		for i, v := range vs {
			fs = append(fs, textField{field, i, "", v})
		}
	}
	add("aliases", a.Aliases)
	add("cwes", a.CWEs)
	add("components", a.Components)
	for i, b := range a.Branches {
		fs = append(fs, textField{"branches", i, "branch", b.Branch}, textField{"branches", i, "fixed", b.Fixed},
			textField{"branches", i, "introduced", b.Introduced}, textField{"branches", i, "last_affected", b.LastAffected})
	}
	for i, cr := range a.Credits {
		fs = append(fs, textField{"credits", i, "name", cr.Name})
	}
	for i, r := range a.References {
		fs = append(fs, textField{"references", i, "url", r.URL})
	}
	for i, n := range a.CWENames {
		fs = append(fs, textField{"cwe_names", i, "name", n.Name})
	}
	return fs
}
