package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// People and links: credits and references.

func checkCredits(c *checker) {
	for i, cr := range c.a.Credits {
		path := fmt.Sprintf("credits[%d]", i)
		if strings.TrimSpace(cr.Name) == "" {
			c.errorf("credit", path+".name", "credit needs a name")
		} else if msg := rule.LineProblem(cr.Name); msg != "" {
			c.errorf("credit", path+".name", "credit name %q %s", cr.Name, msg)
		}
		if cr.Type != "" && !slices.Contains(advisory.CreditTypes, cr.Type) {
			c.errorf("credit", path+".type", "credit type %q is not one of %s", cr.Type, strings.Join(advisory.CreditTypes, ", "))
		}
		for j, u := range cr.Contact {
			c.url(fmt.Sprintf("%s.contact[%d]", path, j), u, true)
		}
	}
}

func checkReferences(c *checker) {
	seen := map[string]int{}
	for i, r := range c.a.References {
		path := fmt.Sprintf("references[%d]", i)
		if !slices.Contains(advisory.ReferenceTypes, r.Type) {
			c.errorf("reference", path+".type", "reference type %q is not one of %s", r.Type, strings.Join(advisory.ReferenceTypes, ", "))
		}
		if j, dup := seen[r.URL]; dup {
			c.errorf("reference", path+".url", "reference %s is already listed at references[%d]; remove one", r.URL, j)
		}
		seen[r.URL] = i
		c.url(path+".url", r.URL, false)
		checkRefTags(c, path, r)
	}
}

// checkRefTags: CVE reference tags from the CVE Record Format's list, each
// once, and not the tag the reference type already implies.
func checkRefTags(c *checker, path string, r advisory.Reference) {
	seen := map[string]bool{}
	for j, tag := range r.Tags {
		tp := fmt.Sprintf("%s.tags[%d]", path, j)
		switch {
		case !slices.Contains(advisory.CVEReferenceTags, tag):
			c.errorf("reference", tp, "%q is not a CVE reference tag; use one of %s", tag, strings.Join(advisory.CVEReferenceTags, ", "))
		case seen[tag]:
			c.errorf("reference", tp, "tag %s is listed twice; remove one", tag)
		case advisory.ImpliedTags[r.Type] == tag:
			c.errorf("reference", tp, "type %s already gives the CVE tag %s; remove it from tags", r.Type, tag)
		}
		seen[tag] = true
	}
}
