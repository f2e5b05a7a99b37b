package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/cvss"
)

// component is a Python module, class or function name (dotted, optional ()).
var component = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\(\))?$`)

func checkID(c *checker) {
	id := c.a.ID
	if msg := rule.IDProblem(id); msg != "" {
		c.errorf("id", "id", "%s", msg)
		return
	}
	if year, _, ok := rule.ParseID(id); ok {
		if y := fmt.Sprintf("%04d", year); len(c.a.Published) >= 4 && c.a.Published[:4] != y {
			c.warnf("id", "id", "id year %s differs from the published year %s; IDs are numbered by the year of publication", y, c.a.Published[:4])
		}
	}
}

func checkAliases(c *checker) {
	seen := map[string]bool{}
	for i, al := range c.a.Aliases {
		path := fmt.Sprintf("aliases[%d]", i)
		switch {
		case seen[al]:
			c.errorf("alias", path, "alias %s is listed twice; remove one", al)
		case strings.HasPrefix(al, "CVE") && !rule.IsCVE(al):
			c.errorf("alias", path, "alias %q is not a CVE ID of the form CVE-YYYY-NNNN", al)
		case strings.HasPrefix(al, "GHSA") && !rule.IsGHSA(al):
			c.errorf("alias", path, "alias %q is not a GHSA ID of the form GHSA-xxxx-xxxx-xxxx", al)
		case !rule.IsCVE(al) && !rule.IsGHSA(al) && !rule.IsPYSEC(al):
			c.errorf("alias", path, "alias %q is neither a CVE (CVE-YYYY-NNNN), GHSA nor PYSEC ID", al)
		}
		seen[al] = true
	}
}

func checkTitle(c *checker) {
	t := c.a.Title
	switch n := utf8.RuneCountInString(t); {
	case n > rule.MaxTitle:
		c.errorf("title", "title", "title is %d characters, over %d; shorten it (it becomes the OSV summary)", n, rule.MaxTitle)
	case strings.ContainsAny(t, "\r\n"):
		c.errorf("title", "title", "title must be one line; move details to description")
	default:
		if msg := rule.LineProblem(t); msg != "" {
			c.errorf("title", "title", "title %s", msg)
		}
	}
}

func checkSeverity(c *checker) {
	if c.a.Severity == "" {
		if advisory.IsPlaceholder(c.a.ID) {
			c.errorf("severity", "severity", "severity is required: one of %s", strings.Join(advisory.Severities, ", "))
		} else {
			c.warnf("severity", "severity", "severity is not set; PSRT advisories state one of %s", strings.Join(advisory.Severities, ", "))
		}
		return
	}
	if !slices.Contains(advisory.Severities, c.a.Severity) {
		c.errorf("severity", "severity", "severity %q is not one of %s", c.a.Severity, strings.Join(advisory.Severities, ", "))
	}
}

func checkCVSS(c *checker) {
	for _, f := range []struct {
		path, vector string
		v3           bool
	}{{"cvss", c.a.CVSS, false}, {"cvss_v3", c.a.CVSSV3, true}} {
		if f.vector == "" {
			continue
		}
		want := "a CVSS 4.0 vector starting with CVSS:4.0/ (a 3.x vector goes in cvss_v3)"
		if f.v3 {
			want = "a CVSS 3.1 or 3.0 vector starting with CVSS:3.1/ or CVSS:3.0/ (a 4.0 vector goes in cvss)"
		}
		version := cvss.VersionOf(f.vector)
		if version == "" || (version != "4.0") != f.v3 {
			c.errorf("cvss", f.path, "%s must be %s", f.path, want)
		} else if _, err := cvss.Parse(f.vector); err != nil {
			c.errorf("cvss", f.path, "%s vector is invalid: %v; check it with the FIRST CVSS %s calculator", f.path, err, version)
		}
	}
}

func checkCWEs(c *checker) {
	seen := map[string]bool{}
	for i, w := range c.a.CWEs {
		path := fmt.Sprintf("cwes[%d]", i)
		if !rule.IsCWE(w) {
			c.errorf("cwe", path, "%q is not a CWE ID; write it as CWE-NNN", w)
		} else if seen[w] {
			c.errorf("cwe", path, "%s is listed twice; remove one", w)
		}
		seen[w] = true
	}
	named := map[string]bool{}
	for i, n := range c.a.CWENames {
		path := fmt.Sprintf("cwe_names[%d]", i)
		switch {
		case !slices.Contains(c.a.CWEs, n.ID):
			c.errorf("cwe", path+".id", "%q is not in cwes; name only the CWEs the advisory lists (add it to cwes)", n.ID)
		case named[n.ID]:
			c.errorf("cwe", path+".id", "%s is named twice; keep one name", n.ID)
		}
		named[n.ID] = true
		switch name := n.Name; {
		case strings.TrimSpace(name) == "":
			c.errorf("cwe", path+".name", "the name of %s is blank; write the CWE's name or remove the entry", n.ID)
		case rule.LineProblem(name) != "":
			c.errorf("cwe", path+".name", "the name of %s %s", n.ID, rule.LineProblem(name))
		case utf8.RuneCountInString(name) > MaxCWEName:
			c.errorf("cwe", path+".name", "the name of %s is over %d characters; shorten it", n.ID, MaxCWEName)
		}
	}
}

// MaxCWEName is the longest CWE name accepted (CWE's longest names are
// under 200 characters).
const MaxCWEName = 256

func checkComponents(c *checker) {
	for i, comp := range c.a.Components {
		if msg := rule.LineProblem(comp); msg != "" {
			c.errorf("component", fmt.Sprintf("components[%d]", i), "component %q %s", comp, msg)
		} else if !component.MatchString(comp) {
			c.warnf("component", fmt.Sprintf("components[%d]", i), "component %q is not a dotted Python or C name (module.Class.method); readers search their code for it", comp)
		}
	}
}

func checkText(c *checker) {
	for _, f := range []struct{ path, text string }{{"description", c.a.Description}, {"mitigations", c.a.Mitigations}} {
		if _, msg := rule.MarkdownProblem(f.text); msg != "" {
			c.errorf("markdown", f.path, "%s: %s", f.path, msg)
		}
	}
	if len(c.a.Notes) > rule.MaxMarkdown {
		c.errorf("size", "notes", "notes is %d bytes, over the %d-byte limit; shorten it", len(c.a.Notes), rule.MaxMarkdown)
	}
	if strings.TrimSpace(c.a.Description) == "" {
		c.errorf("description", "description", "description is blank; describe the vulnerability, its impact and when it applies")
	}
}

// checkPlatforms: each platform is one of advisory.Platforms, listed once.
func checkPlatforms(c *checker) {
	seen := map[string]bool{}
	for i, p := range c.a.Platforms {
		path := fmt.Sprintf("platforms[%d]", i)
		switch {
		case !advisory.IsPlatform(p):
			c.errorf("platform", path, "platform %q is not one of %s", p, strings.Join(advisory.Platforms, ", "))
		case seen[p]:
			c.errorf("platform", path, "platform %s is listed twice; remove one", p)
		}
		seen[p] = true
	}
}
