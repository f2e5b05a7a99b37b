package cverecord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/cvss"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/psf/advisory-builder/internal/version"
)

// GeneratorEngine is the x_generator engine written into records.
const GeneratorEngine = "psf/advisory-builder"

// FromRecord makes the CVE record of a built advisory: a PUBLISHED record
// whose CNA container carries the title, description (opened with the
// severity sentence), per-branch affected ranges from the version data,
// CWE IDs with their names, references with their tags, the CVSS 4.0 and
// 3.x metrics and credits; a withdrawn advisory gives a REJECTED record.
func FromRecord(rec *osv.Record) (*Record, error) {
	a := rec.Advisory
	id, err := a.CVE()
	if err != nil {
		return nil, err
	}
	r := &Record{
		DataType: "CVE_RECORD", DataVersion: DataVersion,
		CVEMetadata: Metadata{CVEID: id, AssignerOrgID: PSFOrgID, AssignerShortName: PSFShortName,
			State: "PUBLISHED", DatePublished: a.Published, DateUpdated: rec.Vuln.Modified},
	}
	pm := ProviderMetadata{OrgID: PSFOrgID, ShortName: PSFShortName, DateUpdated: rec.Vuln.Modified}
	if a.Withdrawn != "" {
		r.CVEMetadata.State, r.CVEMetadata.DateRejected = "REJECTED", a.Withdrawn
		r.Containers.CNA = &CNA{ProviderMetadata: pm, RejectedReasons: []Description{{Lang: "en",
			Value: fmt.Sprintf("This CVE ID was withdrawn by its CNA (advisory %s, withdrawn %s).", a.ID, a.Withdrawn)}}}
		return r, nil
	}
	vd := rec.VersionData()
	if !vd.Known() {
		return nil, fmt.Errorf("%s: %s has no version data: no resolution in %s and no release facts; run `advisory resolve`, or add each branch's first_affected and fixed_in, so the record can list affected versions",
			a.Path, a.ID, lock.Path("", a.Product))
	}
	if err := rangesSupported(a, rec.Product, vd); err != nil {
		return nil, err
	}
	c, origin, err := cna(a, rec.Product, vd, pm, true)
	if err != nil {
		return nil, err
	}
	r.Containers.CNA = c
	if err := limitError(a, Limits(r), origin); err != nil {
		return nil, err
	}
	return r, nil
}

// cna builds the published CNA container and, withOrigin, for each record
// path whose value comes from one authored field, that field's path (for
// positions; nil without: AdvisoryLimits asks for it only when a value
// breaks a limit).
func cna(a *advisory.Advisory, p *product.Product, vd verdict.Summary, pm ProviderMetadata, withOrigin bool) (*CNA, map[string]string, error) {
	var origin map[string]string
	if withOrigin {
		origin = map[string]string{"containers.cna.title": "title", "containers.cna.descriptions[0].value": "description"}
	}
	refs, refOrigin := references(a, p, vd.Entry)
	c := &CNA{
		ProviderMetadata: pm,
		Title:            a.Title,
		Descriptions:     []Description{{Lang: "en", Value: DescriptionText(a, p)}},
		Affected:         []Affected{affected(a, p, vd, origin)},
		ProblemTypes:     problemTypes(a),
		References:       refs,
		Credits:          cveCredits(a),
		Source:           &Source{Discovery: "UNKNOWN"},
		XGenerator:       &Generator{Engine: GeneratorEngine},
	}
	if a.Mitigations != "" {
		c.Workarounds = []Description{{Lang: "en", Value: plaintext.Markdown(a.Mitigations, 0)}}
	}
	if withOrigin {
		addOrigins(origin, a, refOrigin)
	}
	if len(c.References) == 0 {
		return nil, nil, fmt.Errorf("%s: %s has no reference or fix commit; a CVE record needs at least one", a.Path, a.ID)
	}
	var err error
	if c.Metrics, err = metrics(a); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", a.Path, err)
	}
	return c, origin, nil
}

// addOrigins records the authored fields of the references, CWEs, credits
// and mitigations.
func addOrigins(origin map[string]string, a *advisory.Advisory, refOrigin []string) {
	for i, o := range refOrigin {
		origin[fmt.Sprintf("containers.cna.references[%d].url", i)] = o
	}
	for i := range a.CWEs {
		origin[fmt.Sprintf("containers.cna.problemTypes[0].descriptions[%d].cweId", i)] = fmt.Sprintf("cwes[%d]", i)
		origin[fmt.Sprintf("containers.cna.problemTypes[0].descriptions[%d].description", i)] = fmt.Sprintf("cwes[%d]", i)
	}
	for i := range a.Credits {
		origin[fmt.Sprintf("containers.cna.credits[%d]", i)] = fmt.Sprintf("credits[%d].name", i)
		origin[fmt.Sprintf("containers.cna.credits[%d].value", i)] = fmt.Sprintf("credits[%d].name", i)
	}
	if a.Mitigations != "" {
		origin["containers.cna.workarounds[0].value"] = "mitigations"
	}
}

// DescriptionText is the record's description: the PSRT severity sentence, then
// the advisory's description as plain text (links spelled out).
func DescriptionText(a *advisory.Advisory, p *product.Product) string {
	desc := plaintext.Markdown(a.Description, 0)
	if a.Severity == "" || advisory.SeverityOf(desc) != "" {
		return desc
	}
	return advisory.SeveritySentence(a.Severity, p.Title) + "\n\n" + desc
}

func affected(a *advisory.Advisory, p *product.Product, s verdict.Summary, origin map[string]string) Affected {
	af := Affected{Vendor: PSFVendor, Product: p.Title, Repo: p.Repo, DefaultStatus: "unaffected"}
	if p.Package != nil {
		af.CollectionURL, af.PackageName = "https://pypi.org", p.Package.Name
	}
	for i, comp := range a.Components {
		mod, routine := splitComponent(comp)
		if mod != "" && !slices.Contains(af.Modules, mod) {
			if origin != nil {
				origin[fmt.Sprintf("containers.cna.affected[0].modules[%d]", len(af.Modules))] = fmt.Sprintf("components[%d]", i)
			}
			af.Modules = append(af.Modules, mod)
		}
		if routine {
			if origin != nil {
				origin[fmt.Sprintf("containers.cna.affected[0].programRoutines[%d].name", len(af.ProgramRoutines))] = fmt.Sprintf("components[%d]", i)
			}
			af.ProgramRoutines = append(af.ProgramRoutines, Routine{Name: comp})
		}
	}
	af.Versions = Ranges(a, s)
	for i := range af.Versions {
		if origin == nil {
			break
		}
		origin[fmt.Sprintf("containers.cna.affected[0].versions[%d]", i)] = "branches"
	}
	return af
}

// Ranges are the affected versions of the advisory's version data (package
// verdict), one range per branch, oldest branch first: from the first
// affected release to the fixed-in release (lessThan), or through the last
// affected release (lessThanOrEqual). A computed unfixed branch ends at its
// last affected release, and the oldest computed range starts at "0" when
// the vulnerability is as old as the project. Authored facts carry over as
// written; an authored unfixed or unreleased branch runs to the end of its
// series (lessThan "3.12.*", or "*" for main).
func Ranges(a *advisory.Advisory, s verdict.Summary) []Version {
	var out []Version
	for _, b := range s.Affected() {
		v := Version{Version: version.Plain(b.FirstAffected), Status: "affected", VersionType: "python"}
		if len(out) == 0 && a.Introduced == "0" && s.Source == verdict.Computed {
			v.Version = "0"
		}
		switch {
		case b.Status == lock.StatusFixed && b.FixedIn != "":
			v.LessThan = version.Plain(b.FixedIn)
		case b.LastAffected != "":
			v.LessThanOrEqual = version.Plain(b.LastAffected)
		case b.Branch == "main":
			v.LessThan = "*"
		default:
			v.LessThan = b.Branch + ".*"
		}
		if !slices.Contains(out, v) { // two entries may state one branch's facts alike
			out = append(out, v)
		}
	}
	return out
}

// rangesSupported refuses to publish authored ranges that the facts cannot
// support: fix commits the facts do not place (a CVE-style single range
// copied to one branch would claim every other branch affected, although
// the unplaced backports fixed them). It names the unplaced commits and the
// maintained branches with no facts.
func rangesSupported(a *advisory.Advisory, p *product.Product, vd verdict.Summary) error {
	if vd.Source != verdict.Authored || p == nil {
		return nil
	}
	f := a.Account()
	if f.Speaks(p) {
		return nil
	}
	var why []string
	if len(f.Unplaced) > 0 {
		why = append(why, fmt.Sprintf("%d fix commits have no branch (%s)", len(f.Unplaced), strings.Join(f.Unplaced, ", ")))
	}
	if len(f.Unstated) > 0 {
		why = append(why, "fix commits sit on branches with no facts ("+strings.Join(f.Unstated, ", ")+")")
	}
	if m := f.UnstatedMaintained(p); len(m) > 0 {
		why = append(why, "maintained branches have no facts ("+strings.Join(m, ", ")+")")
	}
	return fmt.Errorf("%s: the release facts cannot support one range per branch: %s; state each branch's first_affected and fixed_in (from the release changelogs), or run `advisory resolve`, before publishing a CVE record", a.Path, strings.Join(why, "; "))
}

func problemTypes(a *advisory.Advisory) []ProblemType {
	if len(a.CWEs) == 0 {
		return nil
	}
	pt := ProblemType{}
	for _, w := range a.CWEs {
		desc := w
		for _, n := range a.CWENames {
			if n.ID == w {
				desc = w + " " + n.Name
				break
			}
		}
		pt.Descriptions = append(pt.Descriptions, ProblemDescription{Lang: "en", CWEID: w, Description: desc, Type: "CWE"})
	}
	return []ProblemType{pt}
}

// references lists the authored references (with the tag their type
// implies and their own tags), then each fix's pull request and every fix
// commit (authored and discovered backports), each once; and beside each,
// the authored field it comes from ("" for a discovered backport).
func references(a *advisory.Advisory, p *product.Product, res *lock.Entry) ([]Reference, []string) {
	var out []Reference
	var origin []string
	seen := map[string]bool{}
	from := ""
	add := func(u string, tags ...string) {
		if u == "" || seen[u] {
			return
		}
		seen[u] = true
		origin = append(origin, from)
		r := Reference{URL: u}
		for _, t := range tags {
			if t != "" && !slices.Contains(r.Tags, t) {
				r.Tags = append(r.Tags, t)
			}
		}
		out = append(out, r)
	}
	for i, r := range a.References {
		from = fmt.Sprintf("references[%d].url", i)
		add(r.URL, append([]string{advisory.ImpliedTags[r.Type]}, r.Tags...)...)
	}
	repo := strings.TrimSuffix(p.Repo, "/")
	for i, b := range a.Branches {
		if b.PR > 0 {
			from = fmt.Sprintf("branches[%d].pr", i)
			add(repo+"/pull/"+strconv.Itoa(b.PR), "patch")
		}
	}
	for i, b := range a.Branches {
		if b.Fixed != "" {
			from = fmt.Sprintf("branches[%d].fixed", i)
			add(repo+"/commit/"+b.Fixed, "patch")
		}
	}
	if res != nil {
		from = ""
		for _, f := range res.Fixed {
			add(repo+"/commit/"+f.Commit, "patch")
		}
	}
	return out, origin
}

func cveCredits(a *advisory.Advisory) []Credit {
	var out []Credit
	for _, c := range a.Credits {
		out = append(out, Credit{Lang: "en", Value: c.Name, Type: strings.ReplaceAll(strings.ToLower(c.Type), "_", " ")})
	}
	return out
}

// metrics scores the CVSS 4.0 and 3.x vectors with the CVSS library.
func metrics(a *advisory.Advisory) ([]Metric, error) {
	var out []Metric
	for _, f := range []struct{ field, vector string }{{"cvss", a.CVSS}, {"cvss_v3", a.CVSSV3}} {
		if f.vector == "" {
			continue
		}
		s, err := cvss.Parse(f.vector)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f.field, err)
		}
		c := &CVSS{Version: s.Version, VectorString: s.Vector, BaseScore: s.Base, BaseSeverity: s.Severity}
		m := Metric{Format: "CVSS", Scenarios: []Scenario{{Lang: "en", Value: "GENERAL"}}}
		switch s.Version {
		case "4.0":
			m.CVSSV40 = c
		case "3.1":
			m.CVSSV31 = c
		default:
			m.CVSSV30 = c
		}
		out = append(out, m)
	}
	return out, nil
}

// Marshal renders a record: two-space indent, no HTML escaping, trailing
// newline.
func Marshal(r *Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// splitComponent reads a component name: the module is the dotted prefix
// before the first class (capitalised) or call ("name()") segment; a
// component with such a segment is also a program routine.
// "tarfile.TarFile.extractall" is module tarfile and a routine,
// "http.cookies" a module.
func splitComponent(comp string) (module string, routine bool) {
	segs := strings.Split(comp, ".")
	for i, s := range segs {
		if strings.HasSuffix(s, "()") || (s != "" && unicode.IsUpper(rune(s[0]))) {
			return strings.Join(segs[:i], "."), true
		}
	}
	return comp, false
}
