// Package ghsa makes, from a built OSV record of a package product (pip),
// the request body of GitHub's REST endpoints that create and update a
// repository security advisory, and sends it. A GitHub advisory is the
// route by which a pip advisory reaches pip-audit: osv.dev imports the
// PSF database as a source without package ecosystems, while the GitHub
// advisory database feeds osv.dev's PyPI ecosystem.
//
// The body is built with the types of the go-github client library; only
// cvss_vector_string, a field of the create and update endpoints that the
// library's advisory type lacks, is added beside it.
package ghsa

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/google/go-github/v84/github"

	"github.com/psf/advisory-builder/internal/osv"
)

// Request is the body of POST /repos/{owner}/{repo}/security-advisories
// and of PATCH .../security-advisories/{ghsa_id}.
type Request struct {
	*github.SecurityAdvisory
	// CVSSVectorString is the CVSS 3.x or 4.0 vector; GitHub takes either
	// it or severity, never both.
	CVSSVectorString *string `json:"cvss_vector_string,omitempty"`
}

// Draft is what this project sends to GitHub for one record: the
// repository that owns the advisory, the GHSA ID when the record already
// names one (an alias), and the body.
type Draft struct {
	// ID is the record's PSF ID.
	ID string
	// Owner and Repo name the GitHub repository of the product (pypa, pip).
	Owner, Repo string
	// GHSA is the record's GHSA alias, when it has one: that advisory is
	// updated instead of a new one drafted.
	GHSA string
	// Body is the request body.
	Body Request
	// Uncredited are the credits GitHub cannot take (no GitHub login among
	// their contacts); they are named in the description instead.
	Uncredited []string
}

// JSON is the body as it is sent (no HTML escaping, as the client
// library encodes it), indented for reading.
func (d *Draft) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d.Body); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Path is the REST path of the repository's advisories (create), or of the
// advisory ghsaID (update) when it is not empty.
func (d *Draft) Path(ghsaID string) string {
	p := "repos/" + url.PathEscape(d.Owner) + "/" + url.PathEscape(d.Repo) + "/security-advisories"
	if ghsaID != "" {
		p += "/" + url.PathEscape(ghsaID)
	}
	return p
}

// Ecosystems maps OSV package ecosystems to GitHub's advisory ecosystems.
var Ecosystems = map[string]string{
	"PyPI": "pip",
}

// Of makes the draft of record v, whose product's repository is repoURL
// (https://github.com/OWNER/REPO). It refuses a record GitHub cannot take:
// a withdrawn one, one without a package of a GitHub ecosystem, one on a
// repository outside github.com, and one whose affected versions are not
// known (no ECOSYSTEM range): a GitHub advisory must say which versions
// are vulnerable.
func Of(v *osv.Vulnerability, repoURL string) (*Draft, error) {
	if v.Withdrawn != "" {
		return nil, fmt.Errorf("%s is withdrawn; withdraw its GitHub advisory by hand (GitHub has no withdrawal field in the advisory body)", v.ID)
	}
	owner, repo, err := gitHubRepo(repoURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.ID, err)
	}
	vulns, err := vulnerabilities(v)
	if err != nil {
		return nil, err
	}
	d := &Draft{ID: v.ID, Owner: owner, Repo: repo, GHSA: aliasWith(v.Aliases, "GHSA-")}
	sa := &github.SecurityAdvisory{
		Summary:         github.Ptr(v.Summary),
		Vulnerabilities: vulns,
		CWEIDs:          cweIDs(v),
	}
	if cve := aliasWith(v.Aliases, "CVE-"); cve != "" {
		sa.CVEID = github.Ptr(cve)
	}
	sa.Credits, d.Uncredited = credits(v.Credits)
	d.Body = Request{SecurityAdvisory: sa}
	if vec := cvssVector(v); vec != "" {
		d.Body.CVSSVectorString = github.Ptr(vec)
	} else if sev := severity(v); sev != "" {
		sa.Severity = github.Ptr(sev)
	}
	sa.Description = github.Ptr(description(v, d.Uncredited))
	return d, nil
}

// gitHubRepo splits https://github.com/OWNER/REPO.
func gitHubRepo(repoURL string) (owner, repo string, err error) {
	u, err := url.Parse(repoURL)
	if err != nil || u.Scheme != "https" || u.Host != "github.com" {
		return "", "", fmt.Errorf("the product's repository %q is not on github.com", repoURL)
	}
	parts := strings.Split(strings.Trim(strings.TrimSuffix(u.Path, ".git"), "/"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", fmt.Errorf("the product's repository %q is not https://github.com/OWNER/REPO", repoURL)
	}
	return parts[0], parts[1], nil
}

// aliasWith is the first alias with the prefix, or "".
func aliasWith(aliases []string, prefix string) string {
	for _, a := range aliases {
		if strings.HasPrefix(a, prefix) {
			return a
		}
	}
	return ""
}

// cweIDs are the record's CWE IDs (database_specific.cwe_ids), sorted.
func cweIDs(v *osv.Vulnerability) []string {
	out := slices.Clone(v.Specific().CWEIDs)
	sort.Strings(out)
	return out
}

// cvssVector is the record's CVSS 3.x vector, else its CVSS 4.0 vector.
func cvssVector(v *osv.Vulnerability) string {
	for _, typ := range []string{"CVSS_V3", "CVSS_V4"} {
		for _, s := range v.Severity {
			if s.Type == typ {
				return s.Score
			}
		}
	}
	return ""
}

// severity is the PSRT severity in GitHub's words (low, medium, high,
// critical), used only when the record has no CVSS vector.
func severity(v *osv.Vulnerability) string {
	switch s := v.Specific().PSRTSeverity(); s {
	case "low", "medium", "high", "critical":
		return s
	}
	return ""
}

// creditTypes maps OSV credit types to GitHub's.
var creditTypes = map[string]string{
	"FINDER": "finder", "REPORTER": "reporter", "ANALYST": "analyst",
	"COORDINATOR": "coordinator", "REMEDIATION_DEVELOPER": "remediation_developer",
	"REMEDIATION_REVIEWER": "remediation_reviewer", "REMEDIATION_VERIFIER": "remediation_verifier",
	"TOOL": "tool", "SPONSOR": "sponsor", "OTHER": "other",
}

// credits are the credits GitHub can take (a login from a
// https://github.com/LOGIN contact) and the names of the others.
func credits(cs []osv.Credit) ([]*github.RepoAdvisoryCredit, []string) {
	var out []*github.RepoAdvisoryCredit
	var others []string
	for _, c := range cs {
		typ := creditTypes[c.Type]
		if typ == "" {
			typ = "other"
		}
		login := gitHubLogin(c.Contact)
		if login == "" {
			others = append(others, fmt.Sprintf("%s (%s)", c.Name, strings.ReplaceAll(typ, "_", " ")))
			continue
		}
		out = append(out, &github.RepoAdvisoryCredit{Login: github.Ptr(login), Type: github.Ptr(typ)})
	}
	return out, others
}

// gitHubLogin is the login of the first https://github.com/LOGIN contact.
func gitHubLogin(contacts []string) string {
	for _, c := range contacts {
		u, err := url.Parse(c)
		if err != nil || u.Scheme != "https" || u.Host != "github.com" {
			continue
		}
		if p := strings.Trim(u.Path, "/"); p != "" && !strings.Contains(p, "/") {
			return p
		}
	}
	return ""
}

// description is the record's details followed by what the body has no
// field for: its references, the credits GitHub cannot take, and the PSF
// record it comes from (which also lets a later run find the advisory).
func description(v *osv.Vulnerability, uncredited []string) string {
	parts := []string{strings.TrimRight(v.Details, "\n")}
	if len(v.References) > 0 {
		var urls []string
		for _, r := range v.References {
			urls = append(urls, "- "+r.URL)
		}
		parts = append(parts, "## References", strings.Join(urls, "\n"))
	}
	if len(uncredited) > 0 {
		parts = append(parts, "## Credits", "- "+strings.Join(uncredited, "\n- "))
	}
	parts = append(parts, Marker+v.ID)
	return strings.Join(parts, "\n\n") + "\n"
}

// Marker begins the description's last line, which names the PSF record:
// a run that finds an advisory ending with it updates that advisory.
const Marker = "Python Software Foundation advisory: "

// Plan says in words what sending d does: the update of its GHSA alias,
// or, without one, the creation of a draft (a run with a token first looks
// for an advisory carrying d's marker or CVE ID and updates that instead).
func (d *Draft) Plan(api string) string {
	if api == "" {
		api = DefaultAPI
	}
	if d.GHSA != "" {
		return "PATCH " + strings.TrimSuffix(api, "/") + "/" + d.Path(d.GHSA)
	}
	return "POST " + strings.TrimSuffix(api, "/") + "/" + d.Path("") +
		" (or PATCH of the advisory of " + d.Owner + "/" + d.Repo + " that already names " + d.ID + " or its CVE)"
}

// Drafts are the drafts of every record (not withdrawn) of a product whose
// package has a GitHub advisory ecosystem, in the records' order.
func Drafts(recs []*osv.Record) ([]*Draft, error) {
	var out []*Draft
	for _, r := range recs {
		if !Covered(r) || r.Vuln.Withdrawn != "" {
			continue
		}
		d, err := Of(r.Vuln, r.Product.Repo)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Covered reports whether the record's product has a package in an
// ecosystem GitHub's advisory database covers (pip: PyPI).
func Covered(r *osv.Record) bool {
	return r.Product != nil && r.Product.Package != nil && Ecosystems[r.Product.Package.Ecosystem] != ""
}
