// Package cverecord reads and writes CVE JSON 5 records (the CVE Record
// Format the PSF CNA publishes): it turns a record into an advisory
// scaffold and an advisory with its resolution into a record.
package cverecord

import "bytes"

// PSF is the PSF CNA's identity in the CVE Program.
const (
	PSFOrgID     = "28c92f92-d60d-412d-b760-e73465c3df22"
	PSFShortName = "PSF"
	PSFVendor    = "Python Software Foundation"
)

// DataVersion is the CVE Record Format version this package writes.
const DataVersion = "5.1"

// Record is a CVE JSON 5 record. Only the fields this project reads or
// writes are typed; other fields of input records are ignored.
type Record struct {
	DataType    string     `json:"dataType"`
	DataVersion string     `json:"dataVersion"`
	CVEMetadata Metadata   `json:"cveMetadata"`
	Containers  Containers `json:"containers"`
}

// Metadata is cveMetadata.
type Metadata struct {
	CVEID             string `json:"cveId"`
	AssignerOrgID     string `json:"assignerOrgId"`
	AssignerShortName string `json:"assignerShortName,omitempty"`
	State             string `json:"state"`
	DateReserved      string `json:"dateReserved,omitempty"`
	DatePublished     string `json:"datePublished,omitempty"`
	DateUpdated       string `json:"dateUpdated,omitempty"`
	DateRejected      string `json:"dateRejected,omitempty"`
}

// Containers holds the CNA container (ADP containers are ignored).
type Containers struct {
	CNA *CNA `json:"cna"`
}

// CNA is the CNA container, published or rejected.
type CNA struct {
	ProviderMetadata ProviderMetadata `json:"providerMetadata"`
	DatePublic       string           `json:"datePublic,omitempty"`
	Title            string           `json:"title,omitempty"`
	Descriptions     []Description    `json:"descriptions,omitempty"`
	Affected         []Affected       `json:"affected,omitempty"`
	ProblemTypes     []ProblemType    `json:"problemTypes,omitempty"`
	References       []Reference      `json:"references,omitempty"`
	Metrics          []Metric         `json:"metrics,omitempty"`
	Impacts          []Impact         `json:"impacts,omitempty"`
	Workarounds      []Description    `json:"workarounds,omitempty"`
	Credits          []Credit         `json:"credits,omitempty"`
	Source           *Source          `json:"source,omitempty"`
	RejectedReasons  []Description    `json:"rejectedReasons,omitempty"`
	XGenerator       *Generator       `json:"x_generator,omitempty"`
}

// ProviderMetadata names the organisation that wrote a container.
type ProviderMetadata struct {
	OrgID       string `json:"orgId"`
	ShortName   string `json:"shortName,omitempty"`
	DateUpdated string `json:"dateUpdated,omitempty"`
}

// Description is a text in a language.
type Description struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

// Affected is one affected product.
type Affected struct {
	Vendor          string    `json:"vendor,omitempty"`
	Product         string    `json:"product,omitempty"`
	CollectionURL   string    `json:"collectionURL,omitempty"`
	PackageName     string    `json:"packageName,omitempty"`
	Repo            string    `json:"repo,omitempty"`
	Modules         []string  `json:"modules,omitempty"`
	ProgramRoutines []Routine `json:"programRoutines,omitempty"`
	DefaultStatus   string    `json:"defaultStatus,omitempty"`
	Versions        []Version `json:"versions,omitempty"`
}

// Routine is a function or method named as affected.
type Routine struct {
	Name string `json:"name"`
}

// Version is one version range of an affected product.
type Version struct {
	Version         string `json:"version"`
	Status          string `json:"status"`
	VersionType     string `json:"versionType,omitempty"`
	LessThan        string `json:"lessThan,omitempty"`
	LessThanOrEqual string `json:"lessThanOrEqual,omitempty"`
	// Changes says the range has status changes inside it (a changes
	// array): read only to refuse it, as release facts cannot hold them.
	Changes hasChanges `json:"changes,omitempty"`
}

// hasChanges is true when a range's changes array holds anything.
type hasChanges bool

func (h *hasChanges) UnmarshalJSON(data []byte) error {
	v := bytes.TrimSpace(data)
	*h = hasChanges(!bytes.Equal(v, []byte("null")) && !bytes.Equal(bytes.Join(bytes.Fields(v), nil), []byte("[]")))
	return nil
}

// ProblemType groups problem type descriptions (CWE IDs).
type ProblemType struct {
	Descriptions []ProblemDescription `json:"descriptions"`
}

// ProblemDescription is one problem type, usually a CWE.
type ProblemDescription struct {
	Lang        string `json:"lang"`
	Description string `json:"description"`
	CWEID       string `json:"cweId,omitempty"`
	Type        string `json:"type,omitempty"`
}

// Reference is a link with optional tags.
type Reference struct {
	URL  string   `json:"url"`
	Name string   `json:"name,omitempty"`
	Tags []string `json:"tags,omitempty"`
}

// Metric is one scoring. CVSS 4.0, 3.1 and 3.0 are read and written;
// CVSS 2.0 and "other" metrics are read only to be reported.
type Metric struct {
	Format    string     `json:"format,omitempty"`
	Scenarios []Scenario `json:"scenarios,omitempty"`
	CVSSV40   *CVSS      `json:"cvssV4_0,omitempty"`
	CVSSV31   *CVSS      `json:"cvssV3_1,omitempty"`
	CVSSV30   *CVSS      `json:"cvssV3_0,omitempty"`
	CVSSV20   *CVSS2     `json:"cvssV2_0,omitempty"`
	Other     *Generic   `json:"other,omitempty"`
}

// Scenario is the situation a metric applies to ("GENERAL").
type Scenario struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

// CVSS2 is a CVSS 2.0 metric, read only to be reported.
type CVSS2 struct {
	VectorString string `json:"vectorString"`
}

// Impact is a CAPEC impact, read only to be kept in the notes.
type Impact struct {
	CapecID      string        `json:"capecId,omitempty"`
	Descriptions []Description `json:"descriptions"`
}

// Generic is a metric this package does not interpret.
type Generic struct {
	Type string `json:"type"`
}

// CVSS is the common part of the CVSS 3.1 and 4.0 objects.
type CVSS struct {
	Version      string  `json:"version"`
	VectorString string  `json:"vectorString"`
	BaseScore    float64 `json:"baseScore"`
	BaseSeverity string  `json:"baseSeverity"`
}

// Credit is one credited person or organisation.
type Credit struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
	Type  string `json:"type,omitempty"`
}

// Source is the CNA's discovery information.
type Source struct {
	Discovery string `json:"discovery,omitempty"`
}

// Generator names the tool that wrote the record.
type Generator struct {
	Engine string `json:"engine"`
}
