// Package ghsatest is a local stand-in for GitHub's repository security
// advisory endpoints (list, create, update), listening on 127.0.0.1 only,
// that checks each request's method, path, headers and body fields as
// GitHub's REST documentation states them and records what it received.
package ghsatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Request is one request the server received.
type Request struct {
	Method, Path string
	// Body is the JSON body (nil for GET).
	Body map[string]any
	// Raw is the body's bytes.
	Raw []byte
}

// Server is the stand-in. Advisories holds the repository advisories it
// serves, by GHSA ID; PageSize makes the list answer in pages (cursor
// pagination with a Link header, as GitHub does).
type Server struct {
	URL      string
	Token    string
	PageSize int

	mu         sync.Mutex
	advisories map[string]map[string]any // GHSA ID -> stored advisory
	requests   []Request
	problems   []string
	next       int
}

// New starts a server on 127.0.0.1 that accepts token, serving the
// advisories of owner/repo; it stops when the test ends.
func New(t testing.TB, token string) *Server {
	t.Helper()
	s := &Server{Token: token, PageSize: 100, advisories: map[string]map[string]any{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	h.Listener.Close()
	h.Listener = l
	h.Start()
	t.Cleanup(h.Close)
	s.URL = h.URL + "/"
	return s
}

// Put stores an advisory as if it existed on GitHub (fields as GitHub
// returns them).
func (s *Server) Put(ghsaID string, fields map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := map[string]any{"ghsa_id": ghsaID, "state": "published"}
	for k, v := range fields {
		f[k] = v
	}
	s.advisories[ghsaID] = f
}

// Requests are the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Writes are the create and update requests received so far.
func (s *Server) Writes() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, r)
		}
	}
	return out
}

// Problems are the ways requests broke GitHub's documented rules.
func (s *Server) Problems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.problems)
}

// Advisory is the stored advisory ghsaID (nil when none).
func (s *Server) Advisory(ghsaID string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.advisories[ghsaID]
}

const base = "/repos/pypa/pip/security-advisories"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var raw bytes.Buffer
	raw.ReadFrom(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, Raw: raw.Bytes()}
	fail := func(code int, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		s.problems = append(s.problems, r.Method+" "+r.URL.Path+": "+msg)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]string{"message": msg})
	}
	if r.Method != http.MethodGet {
		if err := json.Unmarshal(raw.Bytes(), &req.Body); err != nil {
			s.requests = append(s.requests, req)
			fail(http.StatusBadRequest, "Problems parsing JSON: %v", err)
			return
		}
	}
	s.requests = append(s.requests, req)
	if got := r.Header.Get("Authorization"); got != "Bearer "+s.Token {
		fail(http.StatusUnauthorized, "Bad credentials")
		return
	}
	if r.Header.Get("X-GitHub-Api-Version") == "" || !strings.Contains(r.Header.Get("Accept"), "application/vnd.github") {
		fail(http.StatusBadRequest, "missing X-GitHub-Api-Version or a GitHub media type in Accept")
		return
	}
	switch id, one := strings.CutPrefix(r.URL.Path, base+"/"); {
	case r.URL.Path == base && r.Method == http.MethodGet:
		s.list(w, r)
	case r.URL.Path == base && r.Method == http.MethodPost:
		if msg := checkBody(req.Body, true); msg != "" {
			fail(http.StatusUnprocessableEntity, "%s", msg)
			return
		}
		s.next++
		ghsaID := fmt.Sprintf("GHSA-test-%04d-draf", s.next)
		s.advisories[ghsaID] = stored(ghsaID, "draft", req.Body)
		answer(w, http.StatusCreated, s.advisories[ghsaID])
	case one && !strings.Contains(id, "/") && r.Method == http.MethodPatch:
		old, ok := s.advisories[id]
		if !ok {
			fail(http.StatusNotFound, "Not Found")
			return
		}
		if msg := checkBody(req.Body, false); msg != "" {
			fail(http.StatusUnprocessableEntity, "%s", msg)
			return
		}
		upd := stored(id, old["state"].(string), req.Body)
		for k, v := range upd {
			old[k] = v
		}
		answer(w, http.StatusOK, old)
	default:
		fail(http.StatusNotFound, "Not Found (no %s on %s)", r.Method, r.URL.Path)
	}
}

// list answers one page, ordered by GHSA ID, with a Link header naming
// the next page's cursor.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	ids := make([]string, 0, len(s.advisories))
	for id := range s.advisories {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	after := r.URL.Query().Get("after")
	start := 0
	if after != "" {
		start = sort.SearchStrings(ids, after) + 1
	}
	end := min(start+s.PageSize, len(ids))
	page := []any{}
	for _, id := range ids[start:end] {
		page = append(page, s.advisories[id])
	}
	if end < len(ids) {
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?after=%s&per_page=%d>; rel="next"`, r.Host, base, ids[end-1], s.PageSize))
	}
	answer(w, http.StatusOK, page)
}

func answer(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// stored is the advisory GitHub keeps for a body: the body's fields, with
// cvss_vector_string kept as cvss.vector_string, as GitHub returns it.
func stored(ghsaID, state string, body map[string]any) map[string]any {
	out := map[string]any{"ghsa_id": ghsaID, "state": state,
		"html_url": "https://github.com/pypa/pip/security/advisories/" + ghsaID}
	for k, v := range body {
		if k == "cvss_vector_string" {
			out["cvss"] = map[string]any{"vector_string": v}
			continue
		}
		out[k] = v
	}
	return out
}

// The fields of the create and update bodies, as GitHub documents them.
var (
	createFields = []string{"summary", "description", "cve_id", "vulnerabilities", "cwe_ids", "credits", "severity", "cvss_vector_string", "start_private_fork"}
	updateFields = append(slices.Clone(createFields[:8]), "state", "collaborating_users", "collaborating_teams")
	ecosystems   = []string{"rubygems", "npm", "pip", "maven", "nuget", "composer", "go", "rust", "erlang", "actions", "pub", "other", "swift"}
	creditTypes  = []string{"analyst", "finder", "reporter", "coordinator", "remediation_developer", "remediation_reviewer", "remediation_verifier", "tool", "sponsor", "other"}
	severities   = []string{"critical", "high", "medium", "low"}
)

// checkBody returns why a body breaks the documented rules ("" when it
// does not).
func checkBody(b map[string]any, create bool) string {
	allowed := updateFields
	if create {
		allowed = createFields
		for _, f := range []string{"summary", "description", "vulnerabilities"} {
			if _, ok := b[f]; !ok {
				return f + " is required"
			}
		}
	}
	for k := range b {
		if !slices.Contains(allowed, k) {
			return k + " is not a field of this endpoint"
		}
	}
	if s, ok := b["summary"]; ok && (!isString(s) || len(s.(string)) > 1024 || s == "") {
		return "summary must be a string of 1 to 1024 characters"
	}
	if d, ok := b["description"]; ok && (!isString(d) || len(d.(string)) > 65535) {
		return "description must be a string of at most 65535 characters"
	}
	if c, ok := b["cve_id"]; ok && c != nil && (!isString(c) || !strings.HasPrefix(c.(string), "CVE-")) {
		return "cve_id must be a CVE ID or null"
	}
	if b["severity"] != nil && b["cvss_vector_string"] != nil {
		return "severity and cvss_vector_string cannot both be set"
	}
	if sev, ok := b["severity"]; ok && sev != nil && !slices.Contains(severities, fmt.Sprint(sev)) {
		return "severity must be one of " + strings.Join(severities, ", ")
	}
	if v, ok := b["cvss_vector_string"]; ok && v != nil && (!isString(v) || !strings.HasPrefix(v.(string), "CVSS:")) {
		return "cvss_vector_string must be a CVSS vector"
	}
	if msg := checkStrings(b, "cwe_ids", "CWE-"); msg != "" {
		return msg
	}
	if msg := checkVulnerabilities(b["vulnerabilities"]); msg != "" {
		return msg
	}
	return checkCredits(b["credits"])
}

func isString(v any) bool { _, ok := v.(string); return ok }

func checkStrings(b map[string]any, field, prefix string) string {
	v, ok := b[field]
	if !ok {
		return ""
	}
	list, ok := v.([]any)
	if !ok {
		return field + " must be an array"
	}
	for _, e := range list {
		if s, ok := e.(string); !ok || !strings.HasPrefix(s, prefix) {
			return fmt.Sprintf("%s: %v is not a %s... string", field, e, prefix)
		}
	}
	return ""
}

func checkVulnerabilities(v any) string {
	if v == nil {
		return ""
	}
	list, ok := v.([]any)
	if !ok {
		return "vulnerabilities must be an array"
	}
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return fmt.Sprintf("vulnerabilities[%d] must be an object", i)
		}
		for k := range m {
			if !slices.Contains([]string{"package", "vulnerable_version_range", "patched_versions", "vulnerable_functions"}, k) {
				return fmt.Sprintf("vulnerabilities[%d].%s is not a field", i, k)
			}
		}
		p, ok := m["package"].(map[string]any)
		if !ok {
			return fmt.Sprintf("vulnerabilities[%d].package is required", i)
		}
		if !slices.Contains(ecosystems, fmt.Sprint(p["ecosystem"])) {
			return fmt.Sprintf("vulnerabilities[%d].package.ecosystem %v is not one of %s", i, p["ecosystem"], strings.Join(ecosystems, ", "))
		}
		if n, ok := p["name"]; ok && n != nil && !isString(n) {
			return fmt.Sprintf("vulnerabilities[%d].package.name must be a string", i)
		}
		for _, f := range []string{"vulnerable_version_range", "patched_versions"} {
			if x, ok := m[f]; ok && x != nil && !isString(x) {
				return fmt.Sprintf("vulnerabilities[%d].%s must be a string or null", i, f)
			}
		}
	}
	return ""
}

func checkCredits(v any) string {
	if v == nil {
		return ""
	}
	list, ok := v.([]any)
	if !ok {
		return "credits must be an array"
	}
	for i, e := range list {
		m, _ := e.(map[string]any)
		if !isString(m["login"]) || !slices.Contains(creditTypes, fmt.Sprint(m["type"])) {
			return fmt.Sprintf("credits[%d] needs a login and a type (one of %s)", i, strings.Join(creditTypes, ", "))
		}
	}
	return ""
}
