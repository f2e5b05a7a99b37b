// Package announce writes the security-announce e-mail of an advisory,
// following the PSRT template: the subject "[CVE-YYYY-NNNN] <title>", the
// severity sentence, the description, affected components, mitigations,
// affected and fixed versions per branch, and links to the CVE record and
// the fix pull requests. Plain text, wrapped at 72 columns, stable.
package announce

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/psf/advisory-builder/internal/version"
)

// Width is the column the message is wrapped at.
const Width = 72

// To is the list the announcement goes to.
const To = "security-announce@python.org"

// CVEURL is the public page of a CVE record.
func CVEURL(id string) string { return "https://www.cve.org/CVERecord?id=" + id }

// Email renders the announcement of a built advisory.
func Email(rec *osv.Record) (string, error) {
	a := rec.Advisory
	cve, err := a.CVE()
	if err != nil {
		return "", err
	}
	if a.Withdrawn != "" {
		return "", fmt.Errorf("%s: %s was withdrawn on %s; there is nothing to announce", a.Path, a.ID, a.Withdrawn)
	}
	vd := rec.VersionData()
	if !vd.Known() {
		return "", fmt.Errorf("%s: %s has no version data: no resolution in %s and no release facts; run `advisory resolve`, or add each branch's first_affected and fixed_in, so the e-mail can list affected versions",
			a.Path, a.ID, lock.Path("", a.Product))
	}
	var m msg
	m.line("To: " + To)
	m.line("Subject: [" + cve + "] " + a.Title)
	m.blank()
	desc := plaintext.Markdown(a.Description, Width)
	if advisory.SeverityOf(desc) == "" {
		m.para(severitySentence(a.Severity, rec.Product.Title))
	}
	m.text(desc)
	if len(a.Components) > 0 {
		m.para("Affected components: " + strings.Join(a.Components, ", "))
	}
	if strings.TrimSpace(a.Mitigations) != "" {
		m.text("Mitigations:")
		m.text(plaintext.Markdown(a.Mitigations, Width))
	}
	if vs := versionLines(vd, rec.Product); len(vs) > 0 {
		m.text("Affected and fixed versions:")
		m.text(strings.Join(vs, "\n"))
	}
	m.para("Please see the linked CVE ID for the latest information on affected versions:")
	links := append([]string{CVEURL(cve)}, pullRequests(rec)...)
	for i := range links {
		links[i] = "* " + links[i]
	}
	m.lines = append(m.lines, links...)
	return strings.Join(m.lines, "\n") + "\n", nil
}

// msg accumulates the message's lines, blocks separated by one blank line.
type msg struct{ lines []string }

func (m *msg) line(s string) { m.lines = append(m.lines, s) }
func (m *msg) blank()        { m.lines = append(m.lines, "") }

// para wraps prose and ends the block.
func (m *msg) para(s string) {
	m.lines = append(m.lines, plaintext.Wrap(s, Width, "", "")...)
	m.blank()
}

// text adds already formatted lines and ends the block.
func (m *msg) text(s string) {
	m.lines = append(m.lines, strings.Split(s, "\n")...)
	m.blank()
}

func severitySentence(sev, prod string) string {
	if sev == "" {
		return "There is a vulnerability affecting " + prod + "."
	}
	return advisory.SeveritySentence(sev, prod)
}

// versionLines says, per affected branch (newest first), which releases
// are affected and which release has the fix, from the computed or the
// authored summary.
func versionLines(vd verdict.Summary, p *product.Product) []string {
	bs := vd.Affected()
	slices.Reverse(bs)
	var out []string
	for _, b := range bs {
		s := fmt.Sprintf("* %s %s: %s affected, ", p.Title, b.Branch, span(b))
		switch {
		case b.Status == lock.StatusFixed && b.FixedIn != "":
			s += "fixed in " + version.Plain(b.FixedIn) + "."
		case b.Status == lock.StatusFixed && b.LastAffected != "" && vd.Source == verdict.Authored:
			s += "fixed in the next release."
		case b.Status == lock.StatusFixed:
			s += "fixed on the branch, not yet in a release."
		case product.Maintained(p.Branches[b.Branch]) || p.Branches[b.Branch] == "":
			s += "not fixed yet."
		default:
			s += "not fixed (" + p.Branches[b.Branch] + ")."
		}
		out = append(out, plaintext.Wrap(s, Width, "", "  ")...)
	}
	return out
}

// span names the affected releases of a row: "3.12.0 to 3.12.5" (computed),
// "releases from 3.12.0" or "releases before 3.8.20" (authored).
func span(b lock.BranchResult) string {
	first, last := version.Plain(b.FirstAffected), version.Plain(b.LastAffected)
	switch {
	case b.FirstAffected == "0" && b.LastAffected != "":
		return "releases up to " + last
	case b.FirstAffected == "0" && b.FixedIn != "":
		return "releases before " + version.Plain(b.FixedIn)
	case b.FirstAffected == "0":
		return "every release"
	case b.LastAffected == b.FirstAffected:
		return first
	case b.LastAffected != "":
		return first + " to " + last
	}
	return "releases from " + first
}

var pullPath = regexp.MustCompile(`/pull/[0-9]+/?$`)

// pullRequests lists the fix pull requests: each branch's PR (main first,
// as authored), then pull requests among the FIX references, each once.
func pullRequests(rec *osv.Record) []string {
	repo := strings.TrimSuffix(rec.Product.Repo, "/")
	var out []string
	add := func(u string) {
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	for _, b := range rec.Advisory.Branches {
		if b.PR > 0 {
			add(repo + "/pull/" + strconv.Itoa(b.PR))
		}
	}
	for _, r := range rec.Advisory.References {
		if r.Type == "FIX" && pullPath.MatchString(r.URL) {
			add(strings.TrimSuffix(r.URL, "/"))
		}
	}
	return out
}
