// Package advisory holds the model of one security advisory as authored in
// YAML, and its strict loader.
package advisory

// Advisory is one PSRT advisory, as written in advisories/<product>/<ID>.yaml.
// Field names are the YAML keys; every key is optional unless marked.
type Advisory struct {
	// ID is PSF-YYYY-N, or PSF-0000-<slug> until assign-ids runs. Required.
	ID string `yaml:"id" json:"id"`
	// Aliases are CVE-YYYY-NNNN and GHSA-xxxx-xxxx-xxxx identifiers.
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// Published is the RFC 3339 UTC time the advisory was published. Required.
	Published string `yaml:"published" json:"published"`
	// Modified is an optional floor for the exported `modified` time (kept by
	// import so a re-published record never goes back in time).
	Modified string `yaml:"modified,omitempty" json:"modified,omitempty"`
	// Withdrawn is the RFC 3339 UTC time the advisory was withdrawn.
	Withdrawn string `yaml:"withdrawn,omitempty" json:"withdrawn,omitempty"`
	// Title becomes OSV `summary` (at most 120 characters). Required.
	Title string `yaml:"title" json:"title"`
	// Severity on the PSRT scale: low, medium, high, critical. Required for
	// new advisories; historical imported records may lack it (a warning).
	Severity string `yaml:"severity,omitempty" json:"severity,omitempty"`
	// CVSS is an optional CVSS 4.0 vector ("CVSS:4.0/AV:N/...").
	CVSS string `yaml:"cvss,omitempty" json:"cvss,omitempty"`
	// CVSSV3 is an optional CVSS 3.1 (or 3.0) vector ("CVSS:3.1/AV:N/..."),
	// kept when a CVE record or an imported record scored one.
	CVSSV3 string `yaml:"cvss_v3,omitempty" json:"cvss_v3,omitempty"`
	// CWEs are CWE IDs in the form CWE-NNN.
	CWEs []string `yaml:"cwes,omitempty" json:"cwes,omitempty"`
	// CWENames name some of the CWEs, as the CVE record's problem types do.
	CWENames []CWEName `yaml:"cwe_names,omitempty" json:"cwe_names,omitempty"`
	// Components are the affected modules, classes and functions
	// (for example tarfile.TarFile.extractall).
	Components []string `yaml:"components,omitempty" json:"components,omitempty"`
	// Platforms are the operating systems the flaw affects (Platforms
	// lists the values); empty means every platform.
	Platforms []string `yaml:"platforms,omitempty" json:"platforms,omitempty"`
	// Description is Markdown; it becomes OSV `details`. Required.
	Description string `yaml:"description" json:"description"`
	// Mitigations is Markdown: workarounds besides upgrading.
	Mitigations string `yaml:"mitigations,omitempty" json:"mitigations,omitempty"`
	// Introduced is "0" (every root) or the 40-hex commit that introduced the
	// vulnerability. Required.
	Introduced string `yaml:"introduced" json:"introduced"`
	// Branches lists, per branch, the fix (or last affected) commit and an
	// optional extra introducing commit. Required (may be empty only for an
	// advisory that is unfixed everywhere).
	Branches []Branch `yaml:"branches,omitempty" json:"branches,omitempty"`
	// Credits are people and organisations credited in the record.
	Credits []Credit `yaml:"credits,omitempty" json:"credits,omitempty"`
	// References are links, typed with the OSV reference types.
	References []Reference `yaml:"references,omitempty" json:"references,omitempty"`
	// Notes are reviewer notes; never exported.
	Notes string `yaml:"notes,omitempty" json:"-"`

	// Product is the directory the file was loaded from (python, pip).
	Product string `yaml:"-" json:"-"`
	// Path is the file the advisory was loaded from, as given to the loader.
	Path string `yaml:"-" json:"-"`
	// Pos maps a field path ("branches[1].fixed", "title") to the position of
	// its value in the file, for diagnostics.
	Pos Positions `yaml:"-" json:"-"`
}

// Branch is one branch's part of the affected range: its commits (at most one
// of Fixed and LastAffected; Introduced adds an introducing commit for this
// branch), its authored release facts, or both.
type Branch struct {
	// Branch is "main" or a maintenance branch "X.Y". Empty means not yet
	// placed (imported records); the resolver places it.
	Branch string `yaml:"branch,omitempty" json:"branch,omitempty"`
	// Introduced is an optional extra introducing commit (40 hex).
	Introduced string `yaml:"introduced,omitempty" json:"introduced,omitempty"`
	// Fixed is the 40-hex commit that fixed the vulnerability on this branch.
	Fixed string `yaml:"fixed,omitempty" json:"fixed,omitempty"`
	// LastAffected is the last affected commit (rare; exclusive with Fixed).
	LastAffected string `yaml:"last_affected,omitempty" json:"last_affected,omitempty"`
	// PR is the pull request number of the fix, when known.
	PR int `yaml:"pr,omitempty" json:"pr,omitempty"`

	// The authored release facts of the branch, in the shape the CNA
	// publishes (versions without the tag's "v"). They answer for the
	// advisory when no resolution exists, and are cross-checked against it
	// when one does. An entry may hold a commit, facts, or both.

	// FirstAffected is the first affected release of this range, or "0" for
	// every earlier release (older branches included).
	FirstAffected string `yaml:"first_affected,omitempty" json:"first_affected,omitempty"`
	// FixedIn is the first fixed release (CVE lessThan).
	FixedIn string `yaml:"fixed_in,omitempty" json:"fixed_in,omitempty"`
	// LastAffectedIn is the last affected release (CVE lessThanOrEqual);
	// exclusive with FixedIn.
	LastAffectedIn string `yaml:"last_affected_in,omitempty" json:"last_affected_in,omitempty"`
	// Status is unfixed, unreleased or not-affected (lock.FactStatuses, the
	// release-status table);
	// exclusive with FixedIn and LastAffectedIn.
	Status string `yaml:"status,omitempty" json:"status,omitempty"`
	// AcceptGit is the reviewed statement that, on this branch, the
	// computed resolution is right where it disagrees with the facts above
	// (why, in one line). Without it a disagreement stops resolve.
	AcceptGit string `yaml:"accept_git,omitempty" json:"accept_git,omitempty"`
}

// HasFacts reports whether the entry states release facts.
func (b Branch) HasFacts() bool {
	return b.FirstAffected != "" || b.FixedIn != "" || b.LastAffectedIn != "" || b.Status != ""
}

// HasCommit reports whether the entry names a commit (the resolver's input).
func (b Branch) HasCommit() bool {
	return b.Fixed != "" || b.LastAffected != "" || b.Introduced != ""
}

// HasFacts reports whether any branch entry states release facts.
func (a *Advisory) HasFacts() bool {
	for _, b := range a.Branches {
		if b.HasFacts() {
			return true
		}
	}
	return false
}

// Credit is one OSV credit.
type Credit struct {
	Name    string   `yaml:"name" json:"name"`
	Type    string   `yaml:"type,omitempty" json:"type,omitempty"`
	Contact []string `yaml:"contact,omitempty" json:"contact,omitempty"`
}

// Reference is one OSV reference.
type Reference struct {
	Type string `yaml:"type" json:"type"`
	URL  string `yaml:"url" json:"url"`
	// Tags are CVE reference tags the record carries beside the one the
	// type implies (FIX patch, REPORT issue-tracking, ADVISORY
	// vendor-advisory), such as mitigation. Not exported to OSV.
	Tags []string `yaml:"tags,omitempty" json:"tags,omitempty"`
}

// CWEName is the name of one CWE of the advisory.
type CWEName struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
}

// CVEReferenceTags are the reference tags of the CVE Record Format.
var CVEReferenceTags = []string{
	"broken-link", "customer-entitlement", "exploit", "government-resource", "issue-tracking",
	"mailing-list", "mitigation", "not-applicable", "patch", "permissions-required", "media-coverage",
	"product", "related", "release-notes", "signature", "technical-description",
	"third-party-advisory", "vendor-advisory", "vdb-entry",
}

// ImpliedTags maps reference types onto the CVE tag each implies.
var ImpliedTags = map[string]string{"FIX": "patch", "REPORT": "issue-tracking", "ADVISORY": "vendor-advisory"}

// Severities are the PSRT severity levels, lowest first.
var Severities = []string{"low", "medium", "high", "critical"}

// CreditTypes are the OSV credit types.
var CreditTypes = []string{
	"FINDER", "REPORTER", "ANALYST", "COORDINATOR", "REMEDIATION_DEVELOPER",
	"REMEDIATION_REVIEWER", "REMEDIATION_VERIFIER", "TOOL", "SPONSOR", "OTHER",
}

// ReferenceTypes are the OSV reference types.
var ReferenceTypes = []string{
	"ADVISORY", "ARTICLE", "DETECTION", "DISCUSSION", "REPORT", "FIX",
	"INTRODUCED", "PACKAGE", "EVIDENCE", "WEB",
}

// Position is a 1-based line and column in a source file.
type Position struct {
	Line, Col int
}

// Positions maps field paths to positions.
type Positions map[string]Position

// Of returns the position of the field path, falling back to its parents
// ("branches[1].fixed" -> "branches[1]" -> "branches") and then to 1:1.
func (p Positions) Of(path string) Position {
	for path != "" {
		if pos, ok := p[path]; ok {
			return pos
		}
		path = parentPath(path)
	}
	return Position{Line: 1, Col: 1}
}

func parentPath(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		switch path[i] {
		case '.', '[':
			return path[:i]
		}
	}
	return ""
}
