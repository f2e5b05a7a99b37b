package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/cvss"
)

var (
	assignedID = regexp.MustCompile(`^PSF-([0-9]{4})-([1-9][0-9]{0,8})$`)
	numberedID = regexp.MustCompile(`^PSF-[0-9]{4}-[1-9][0-9]*$`)
	cveID      = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)
	ghsaID     = regexp.MustCompile(`^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$`)
	pysecID    = regexp.MustCompile(`^PYSEC-[0-9]{4}-[0-9]+$`)
	cweID      = regexp.MustCompile(`^CWE-[1-9][0-9]*$`)
	component  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\(\))?$`)
	branchName = regexp.MustCompile(`^(main|[0-9]+\.[0-9]+)$`)
	commitHash = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// IsBranch reports whether s names a branch as the database does: main or X.Y.
func IsBranch(s string) bool { return branchName.MatchString(s) }

// IsCommit reports whether s is a full 40-character lowercase commit hash.
func IsCommit(s string) bool { return commitHash.MatchString(s) }

// MaxTitle is the longest title (OSV summary) allowed.
const MaxTitle = 120

// MaxMarkdown caps the description and mitigations so rendering stays fast.
const MaxMarkdown = 32 << 10

// MaxIDNumber is the largest N of an ID PSF-YYYY-N: nine digits, far below
// any integer overflow and far above any year's count of advisories.
const MaxIDNumber = 999_999_999

// ParseID splits an assigned ID PSF-YYYY-N into its year and number. ok is
// false for anything else, placeholders and numbers over MaxIDNumber
// included.
func ParseID(id string) (year, number int, ok bool) {
	m := assignedID.FindStringSubmatch(id)
	if m == nil {
		return 0, 0, false
	}
	year, _ = strconv.Atoi(m[1])
	number, _ = strconv.Atoi(m[2])
	return year, number, true
}

// IDProblem says what is wrong with an advisory ID, if anything: it must
// be PSF-YYYY-N (N at most MaxIDNumber) or a placeholder PSF-0000-<slug>.
func IDProblem(id string) string {
	switch {
	case assignedID.MatchString(id) || advisory.IsPlaceholder(id):
		return ""
	case numberedID.MatchString(id):
		return fmt.Sprintf("id %s: the number is over %d, the largest ID number; write a placeholder PSF-0000-<slug> and let assign-ids number it", id, MaxIDNumber)
	}
	return fmt.Sprintf("id %q must be PSF-YYYY-N, or a placeholder PSF-0000-<slug> (lowercase words and dashes) until assign-ids runs", id)
}

func checkID(c *checker) {
	id := c.a.ID
	if msg := IDProblem(id); msg != "" {
		c.errorf("id", "id", "%s", msg)
		return
	}
	if m := assignedID.FindStringSubmatch(id); m != nil {
		if len(c.a.Published) >= 4 && c.a.Published[:4] != m[1] {
			c.warnf("id", "id", "id year %s differs from the published year %s; IDs are numbered by the year of publication", m[1], c.a.Published[:4])
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
		case strings.HasPrefix(al, "CVE") && !cveID.MatchString(al):
			c.errorf("alias", path, "alias %q is not a CVE ID of the form CVE-YYYY-NNNN", al)
		case strings.HasPrefix(al, "GHSA") && !ghsaID.MatchString(al):
			c.errorf("alias", path, "alias %q is not a GHSA ID of the form GHSA-xxxx-xxxx-xxxx", al)
		case !cveID.MatchString(al) && !ghsaID.MatchString(al) && !pysecID.MatchString(al):
			c.errorf("alias", path, "alias %q is neither a CVE (CVE-YYYY-NNNN), GHSA nor PYSEC ID", al)
		}
		seen[al] = true
	}
}

func checkTitle(c *checker) {
	t := c.a.Title
	switch n := utf8.RuneCountInString(t); {
	case n > MaxTitle:
		c.errorf("title", "title", "title is %d characters, over %d; shorten it (it becomes the OSV summary)", n, MaxTitle)
	case strings.ContainsAny(t, "\r\n"):
		c.errorf("title", "title", "title must be one line; move details to description")
	case strings.TrimSpace(t) != t:
		c.errorf("title", "title", "title has leading or trailing spaces; remove them")
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
		s, err := cvss.Parse(f.vector)
		switch {
		case cvss.VersionOf(f.vector) == "" || (cvss.VersionOf(f.vector) != "4.0") != f.v3:
			c.errorf("cvss", f.path, "%s must be %s", f.path, want)
		case err != nil:
			c.errorf("cvss", f.path, "%s vector is invalid: %v; check it with the FIRST CVSS %s calculator", f.path, err, cvss.VersionOf(f.vector))
		case s.Vector != f.vector:
			c.errorf("cvss", f.path, "internal error: %s vector changed while scoring", f.path)
		}
	}
}

func checkCWEs(c *checker) {
	seen := map[string]bool{}
	for i, w := range c.a.CWEs {
		path := fmt.Sprintf("cwes[%d]", i)
		if !cweID.MatchString(w) {
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
		case strings.ContainsAny(name, "\r\n") || strings.TrimSpace(name) != name:
			c.errorf("cwe", path+".name", "the name of %s must be one line without leading or trailing spaces", n.ID)
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
		if !component.MatchString(comp) {
			c.warnf("component", fmt.Sprintf("components[%d]", i), "component %q is not a dotted Python or C name (module.Class.method); readers search their code for it", comp)
		}
	}
}

func checkText(c *checker) {
	for _, f := range []struct{ path, text string }{{"description", c.a.Description}, {"mitigations", c.a.Mitigations}, {"notes", c.a.Notes}} {
		if len(f.text) > MaxMarkdown {
			c.errorf("size", f.path, "%s is %d bytes, over the %d-byte limit; shorten it", f.path, len(f.text), MaxMarkdown)
		}
	}
	if strings.TrimSpace(c.a.Description) == "" {
		c.errorf("description", "description", "description is blank; describe the vulnerability, its impact and when it applies")
	}
}
