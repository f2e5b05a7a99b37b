package ghsa

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/google/go-github/v84/github"
)

// DefaultAPI is GitHub's REST API.
const DefaultAPI = "https://api.github.com/"

// Client drafts and updates repository security advisories on GitHub.
type Client struct {
	gh  *github.Client
	api string
}

// NewClient is a client of the REST API at api (DefaultAPI when empty)
// that authenticates with token. hc is the HTTP client (nil: the default).
func NewClient(api, token string, hc *http.Client) (*Client, error) {
	if api == "" {
		api = DefaultAPI
	}
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}
	u, err := url.Parse(api)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q is not an http(s) URL", api)
	}
	gh := github.NewClient(hc).WithAuthToken(token)
	gh.BaseURL = u
	return &Client{gh: gh, api: api}, nil
}

// Outcome is what Sync did.
type Outcome struct {
	// Action is "created" (a new draft), "updated" or "unchanged".
	Action string
	// GHSA is the advisory's ID; URL its page.
	GHSA, URL string
}

// Sync makes the advisory of d on GitHub say what d says: it updates the
// advisory d names (its GHSA alias) or the one that already carries d's
// marker or CVE ID, when its fields differ, and otherwise creates a draft,
// which the repository's maintainers review and publish on GitHub.
func (c *Client) Sync(ctx context.Context, d *Draft) (Outcome, error) {
	existing, err := c.find(ctx, d)
	if err != nil {
		return Outcome{}, err
	}
	switch {
	case existing != nil && same(existing, d):
		return Outcome{Action: "unchanged", GHSA: existing.GetGHSAID(), URL: existing.GetHTMLURL()}, nil
	case existing != nil:
		return c.send(ctx, http.MethodPatch, d, existing.GetGHSAID(), "updated")
	case d.GHSA != "":
		// Not listed (the token may see published advisories only through
		// the update endpoint): update it by its ID.
		return c.send(ctx, http.MethodPatch, d, d.GHSA, "updated")
	}
	return c.send(ctx, http.MethodPost, d, "", "created")
}

func (c *Client) send(ctx context.Context, method string, d *Draft, ghsaID, action string) (Outcome, error) {
	req, err := c.gh.NewRequest(method, d.Path(ghsaID), d.Body)
	if err != nil {
		return Outcome{}, err
	}
	var got github.SecurityAdvisory
	if _, err := c.gh.Do(ctx, req, &got); err != nil {
		return Outcome{}, fmt.Errorf("%s: %s %s: %w", d.ID, method, c.api+d.Path(ghsaID), err)
	}
	return Outcome{Action: action, GHSA: got.GetGHSAID(), URL: got.GetHTMLURL()}, nil
}

// find is the repository's advisory for d: the one with d's GHSA alias,
// else one whose description ends with d's marker, else one with d's CVE
// ID; nil when there is none.
func (c *Client) find(ctx context.Context, d *Draft) (*github.SecurityAdvisory, error) {
	all, err := c.list(ctx, d.Owner, d.Repo)
	if err != nil {
		return nil, fmt.Errorf("%s: listing the security advisories of %s/%s: %w", d.ID, d.Owner, d.Repo, err)
	}
	matches := []func(*github.SecurityAdvisory) bool{
		func(a *github.SecurityAdvisory) bool { return d.GHSA != "" && a.GetGHSAID() == d.GHSA },
		func(a *github.SecurityAdvisory) bool {
			return strings.HasSuffix(strings.TrimRight(a.GetDescription(), "\n"), Marker+d.ID)
		},
		func(a *github.SecurityAdvisory) bool { return d.Body.CVEID != nil && a.GetCVEID() == *d.Body.CVEID },
	}
	for _, match := range matches {
		if i := slices.IndexFunc(all, match); i >= 0 {
			return all[i], nil
		}
	}
	return nil, nil
}

// list is every security advisory of the repository the token can see,
// drafts included, following the cursor pages.
func (c *Client) list(ctx context.Context, owner, repo string) ([]*github.SecurityAdvisory, error) {
	var all []*github.SecurityAdvisory
	opts := &github.ListRepositorySecurityAdvisoriesOptions{ListCursorOptions: github.ListCursorOptions{PerPage: 100}}
	for {
		page, resp, err := c.gh.SecurityAdvisories.ListRepositorySecurityAdvisories(ctx, owner, repo, opts)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if resp.After == "" || len(page) == 0 {
			return all, nil
		}
		opts.After = resp.After
	}
}

// same reports whether the advisory on GitHub already says what d says.
func same(a *github.SecurityAdvisory, d *Draft) bool {
	b := d.Body
	// GitHub may drop a trailing newline or store CRLF line ends.
	text := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	if a.GetSummary() != b.GetSummary() || text(a.GetDescription()) != text(b.GetDescription()) || a.GetCVEID() != b.GetCVEID() {
		return false
	}
	if !slices.Equal(sorted(a.CWEIDs), sorted(b.CWEIDs)) {
		return false
	}
	if b.CVSSVectorString != nil && (a.CVSS == nil || a.CVSS.GetVectorString() != *b.CVSSVectorString) {
		return false
	}
	if b.Severity != nil && a.GetSeverity() != b.GetSeverity() {
		return false
	}
	return reflect.DeepEqual(packages(a.Vulnerabilities), packages(b.Vulnerabilities)) &&
		reflect.DeepEqual(creditKeys(a.Credits), creditKeys(b.Credits))
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// packages are the vulnerable packages as comparable lines.
func packages(vs []*github.AdvisoryVulnerability) []string {
	var out []string
	for _, v := range vs {
		out = append(out, strings.Join([]string{v.GetPackage().GetEcosystem(), v.GetPackage().GetName(), v.GetVulnerableVersionRange(), v.GetPatchedVersions()}, "|"))
	}
	slices.Sort(out)
	return out
}

// creditKeys are the credits as comparable lines.
func creditKeys(cs []*github.RepoAdvisoryCredit) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.GetLogin()+"|"+c.GetType())
	}
	slices.Sort(out)
	return out
}
