// Package osv holds the OSV 1.7.5 record types this project writes, the
// conversion from advisories, and schema validation.
package osv

// SchemaVersion is the OSV schema version of every record written.
const SchemaVersion = "1.7.5"

// Vulnerability is one OSV record. Field order is the order written.
type Vulnerability struct {
	SchemaVersion string      `json:"schema_version"`
	ID            string      `json:"id"`
	Modified      string      `json:"modified"`
	Published     string      `json:"published,omitempty"`
	Withdrawn     string      `json:"withdrawn,omitempty"`
	Aliases       []string    `json:"aliases,omitempty"`
	Related       []string    `json:"related,omitempty"`
	Upstream      []string    `json:"upstream,omitempty"`
	Summary       string      `json:"summary,omitempty"`
	Details       string      `json:"details,omitempty"`
	Severity      []Severity  `json:"severity,omitempty"`
	Affected      []Affected  `json:"affected,omitempty"`
	References    []Reference `json:"references,omitempty"`
	Credits       []Credit    `json:"credits,omitempty"`
	// DatabaseSpecific is what OSV has no field for (see DatabaseSpecific).
	DatabaseSpecific *DatabaseSpecific `json:"database_specific,omitempty"`
}

// Severity is one severity score.
type Severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Affected is one affected package or repository.
type Affected struct {
	Package           *Package       `json:"package,omitempty"`
	Severity          []Severity     `json:"severity,omitempty"`
	Ranges            []Range        `json:"ranges,omitempty"`
	Versions          []string       `json:"versions,omitempty"`
	EcosystemSpecific map[string]any `json:"ecosystem_specific,omitempty"`
	DatabaseSpecific  map[string]any `json:"database_specific,omitempty"`
}

// Package identifies a package in an ecosystem.
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	PURL      string `json:"purl,omitempty"`
}

// Range is one range of affected versions or commits.
type Range struct {
	Type             string         `json:"type"`
	Repo             string         `json:"repo,omitempty"`
	Events           []Event        `json:"events"`
	DatabaseSpecific map[string]any `json:"database_specific,omitempty"`
}

// Event is one range event; exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Reference is one link.
type Reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// Credit is one credited party.
type Credit struct {
	Name    string   `json:"name"`
	Contact []string `json:"contact,omitempty"`
	Type    string   `json:"type,omitempty"`
}
