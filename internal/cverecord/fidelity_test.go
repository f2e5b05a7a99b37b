package cverecord_test

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/cverecord/cvetest"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// facts are the facts of a CVE record the round trip must keep, each as a
// sorted list of strings, by fact name.
func facts(r *cverecord.Record) map[string][]string {
	c := r.Containers.CNA
	f := map[string][]string{}
	add := func(k, v string) { f[k] = append(f[k], v) }
	add("title", c.Title)
	add("published", r.CVEMetadata.DatePublished)
	if c.DatePublic != "" {
		add("datePublic", c.DatePublic)
	}
	d, _ := cverecord.English(c.Descriptions)
	if sev := advisory.SeverityOf(d); sev != "" {
		add("severity sentence", sev)
		_, d, _ = strings.Cut(d, ".") // the sentence ends at its first full stop
	}
	add("description", words(d))
	for _, imp := range c.Impacts {
		text, _ := cverecord.English(imp.Descriptions)
		add("impacts", text)
	}
	if w, ok := cverecord.English(c.Workarounds); ok {
		add("workarounds", words(w))
	}
	for _, ref := range c.References {
		tags := slices.Clone(ref.Tags)
		slices.Sort(tags)
		add("references", ref.URL+" "+strings.Join(tags, ","))
	}
	for _, pt := range c.ProblemTypes {
		for _, pd := range pt.Descriptions {
			add("cwes", pd.CWEID+" "+pd.Description)
		}
	}
	for _, m := range c.Metrics {
		for _, v := range []*cverecord.CVSS{m.CVSSV40, m.CVSSV31, m.CVSSV30} {
			if v != nil {
				add("metrics", fmt.Sprintf("%s %.1f %s", v.VectorString, v.BaseScore, v.BaseSeverity))
			}
		}
	}
	for _, cr := range c.Credits {
		add("credits", cr.Value+" "+cr.Type)
	}
	for _, af := range c.Affected {
		add("product", af.Vendor+" "+af.Product+" "+af.PackageName+" "+af.DefaultStatus)
		for _, v := range af.Versions {
			add("bounds", fmt.Sprintf("%s <%s <=%s %s %s", v.Version, v.LessThan, v.LessThanOrEqual, v.Status, v.VersionType))
		}
		for _, m := range af.Modules {
			add("modules", m)
		}
		for _, m := range af.ProgramRoutines {
			add("routines", m.Name)
		}
	}
	for _, v := range f {
		slices.Sort(v)
	}
	return f
}

// words collapses the whitespace of a text, which the import rewraps.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// Reasons for the deliberate differences.
const (
	addedSentence = "the record does not open with the PSRT severity sentence; `cve` always does (severity from the record's CVSS base severity, or set by the author)"
	pipVendor     = "the vendor is the PSF CNA's for every product; pip's records name the vendor differently from each other (\"Pip maintainers\", \"Python Packaging Authority\")"
	inNotes       = "the format has no field for it: `new` keeps it in the reviewer notes (checked) and warns; `cve` does not write it"
)

// deliberate lists, per record and fact, how the round trip changes it and
// why. Every other fact of the 15 records must come back unchanged, and
// every difference listed here must still occur.
var deliberate = map[string]map[string]string{
	"CVE-2023-5752": {"severity sentence": addedSentence, "product": pipVendor},
	"CVE-2023-6597": {"severity sentence": addedSentence,
		"title": "the record has no title; the author writes one (the scaffold's TODO)"},
	"CVE-2024-0450": {"severity sentence": addedSentence, "impacts": inNotes},
	"CVE-2024-4030": {"severity sentence": addedSentence, "impacts": inNotes},
	"CVE-2024-4032": {"severity sentence": addedSentence},
	"CVE-2024-7592": {"datePublic": inNotes},
	"CVE-2024-9287": {"severity sentence": addedSentence},
	"CVE-2025-0938": {"severity sentence": addedSentence},
	"CVE-2025-4517": {"severity sentence": addedSentence},
	"CVE-2025-8194": {"severity sentence": addedSentence},
	"CVE-2025-8869": {"severity sentence": addedSentence, "product": pipVendor},
}

// TestRoundTripShared: each of the 15 shared records goes through `new`
// (the scaffold as written and loaded back, plus only what the record lacks:
// a title or a PSRT severity) and `cve` (bounds from the authored release
// facts), and every fact comes back, except the deliberate differences.
func TestRoundTripShared(t *testing.T) {
	cfg := products(t)
	s := cvetest.Schema(t)
	ims := importShared(t)
	files := slices.Sorted(maps.Keys(ims))
	if len(files) != 15 {
		t.Fatalf("want the 15 shared CVE records, found %d", len(files))
	}
	var table []string
	for _, f := range files {
		orig, err := cverecord.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		id := orig.CVEMetadata.CVEID
		a := writtenScaffold(t, ims[f].Advisory)
		checkScaffoldKeeps(t, id, orig, a, cfg[a.Product])
		fillTODOs(a)
		back := export(t, a, cfg[a.Product])
		data, _ := cverecord.Marshal(back)
		if err := cvetest.Validate(t, s, data); err != nil {
			t.Errorf("%s: the exported record is invalid: %v", id, err)
		}
		want, got := facts(orig), facts(back)
		var row []string
		keys := slices.Sorted(maps.Keys(want))
		for k := range got {
			if want[k] == nil {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			same := slices.Equal(want[k], got[k])
			reason, listed := deliberate[id][k]
			if reason == inNotes {
				checkInNotes(t, id, k, want[k], a.Notes)
			}
			switch {
			case !same && !listed:
				t.Errorf("%s: %s not kept:\nrecord: %q\nexport: %q", id, k, want[k], got[k])
			case same && listed:
				t.Errorf("%s: %s is listed as a deliberate difference (%s) but comes back unchanged; remove it from the table", id, k, reason)
			}
			mark := "kept"
			if !same {
				mark = "DIFF"
			}
			if listed {
				mark = "deliberate"
			}
			row = append(row, fmt.Sprintf("%s=%s(%d)", k, mark, len(want[k])))
		}
		table = append(table, id+": "+strings.Join(row, " "))
	}
	for id := range deliberate {
		if !slices.ContainsFunc(files, func(f string) bool { return strings.Contains(f, id) }) {
			t.Errorf("deliberate differences listed for %s, which is not a shared record", id)
		}
	}
	t.Logf("round trip, facts per record:\n%s", strings.Join(table, "\n"))
}

// writtenScaffold is the advisory as `new` writes it and the loader reads it
// back.
func writtenScaffold(t *testing.T, a *advisory.Advisory) *advisory.Advisory {
	t.Helper()
	data, err := advisory.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("advisories", a.Product, a.ID+".yaml")
	loaded, ds := advisory.Parse(path, a.Product, data)
	if ds.HasErrors() {
		t.Fatalf("%s: the scaffold does not load: %v", a.ID, ds)
	}
	return loaded
}

// export is `advisory cve` of an advisory with no resolution: the bounds
// come from its authored release facts.
func export(t *testing.T, a *advisory.Advisory, p *product.Product) *cverecord.Record {
	t.Helper()
	rec := func(a *advisory.Advisory) *osv.Record {
		return &osv.Record{Advisory: a, Product: p, Summary: verdict.Of(a, nil), Vuln: &osv.Vulnerability{Modified: "2025-10-01T00:00:00Z"}}
	}
	r, err := cverecord.FromRecord(rec(a))
	if err != nil && strings.Contains(err.Error(), "cannot support one range per branch") && !a.Account().Speaks(p) {
		// A CVE record's facts that leave fix commits unplaced are refused:
		// `cve` never republishes a range the facts cannot support. Place
		// the commits on the stated branches to compare everything else.
		r, err = cverecord.FromRecord(rec(placedCopy(a)))
	}
	if err != nil {
		t.Fatalf("%s: %v", a.ID, err)
	}
	return r
}

// placedCopy is a with its unplaced fix commits put on the branches its
// facts state, in order (the last one takes any extra commits).
func placedCopy(a *advisory.Advisory) *advisory.Advisory {
	c := *a
	c.Branches = slices.Clone(a.Branches)
	stated := a.Account().Stated
	k := 0
	for i, b := range c.Branches {
		if (b.Fixed != "" || b.LastAffected != "") && (b.Branch == "" || b.Branch == "main") && len(stated) > 0 {
			c.Branches[i].Branch = stated[min(k, len(stated)-1)]
			k++
		}
	}
	return &c
}

// checkScaffoldKeeps is the acceptance: every reference URL (or its
// commit hash, when it became a fix), CWE ID, CVSS vector and version bound
// of the record is in the scaffold.
func checkScaffoldKeeps(t *testing.T, id string, r *cverecord.Record, a *advisory.Advisory, p *product.Product) {
	t.Helper()
	c := r.Containers.CNA
	var commits, urls, vectors, cwes []string
	for _, b := range a.Branches {
		commits = append(commits, b.Fixed)
	}
	for _, ref := range a.References {
		urls = append(urls, ref.URL)
	}
	for _, ref := range c.References {
		hash := strings.TrimPrefix(ref.URL, strings.TrimSuffix(p.Repo, "/")+"/commit/")
		if !slices.Contains(urls, ref.URL) && !slices.Contains(commits, hash) {
			t.Errorf("%s: reference %s is not in the scaffold", id, ref.URL)
		}
	}
	for _, m := range c.Metrics {
		for _, v := range []*cverecord.CVSS{m.CVSSV40, m.CVSSV31, m.CVSSV30} {
			if v != nil {
				vectors = append(vectors, v.VectorString)
			}
		}
	}
	for _, v := range vectors {
		if v != a.CVSS && v != a.CVSSV3 {
			t.Errorf("%s: CVSS vector %s is not in the scaffold", id, v)
		}
	}
	for _, pt := range c.ProblemTypes {
		for _, pd := range pt.Descriptions {
			cwes = append(cwes, pd.CWEID)
		}
	}
	for _, w := range cwes {
		if !slices.Contains(a.CWEs, w) {
			t.Errorf("%s: %s is not in the scaffold", id, w)
		}
	}
	for _, v := range c.Affected[0].Versions {
		if !slices.ContainsFunc(a.Branches, func(b advisory.Branch) bool {
			return b.FirstAffected == v.Version && b.FixedIn == v.LessThan && b.LastAffectedIn == v.LessThanOrEqual
		}) {
			t.Errorf("%s: the range %s < %s <= %s is not in the scaffold's release facts", id, v.Version, v.LessThan, v.LessThanOrEqual)
		}
	}
}

// checkInNotes: every value of a fact the format cannot hold is in the notes.
func checkInNotes(t *testing.T, id, fact string, values []string, notes string) {
	t.Helper()
	for _, v := range values {
		if !strings.Contains(words(notes), words(v)) {
			t.Errorf("%s: %s %q is not in the scaffold's notes:\n%s", id, fact, v, notes)
		}
	}
}
