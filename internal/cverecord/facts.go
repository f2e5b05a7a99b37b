package cverecord

import (
	"fmt"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/cvss"
)

// metrics keeps the record's first CVSS 4.0 vector in cvss and its first
// CVSS 3.1 (else 3.0) vector in cvss_v3. Every other metric (CVSS 2.0, a
// second vector of a version, an "other" metric, a vector the CVSS library
// refuses) goes to the notes with a warning.
func (im *Imported) metrics(c *CNA) {
	for _, m := range c.Metrics {
		for _, v := range []*CVSS{m.CVSSV40, m.CVSSV31, m.CVSSV30} {
			if v != nil {
				im.vector(v.VectorString)
			}
		}
		if m.CVSSV20 != nil {
			im.warnf("CVSS 2.0 vector %q not kept: the format holds CVSS 3.x and 4.0 only", m.CVSSV20.VectorString)
		}
		if m.Other != nil {
			im.warnf("metric of type %q not kept: the format has no place for it", oneLine(m.Other.Type))
		}
	}
}

// vector files one CVSS vector into cvss or cvss_v3.
func (im *Imported) vector(v string) {
	a := im.Advisory
	s, err := cvss.Parse(v)
	switch {
	case err != nil:
		im.warnf("CVSS vector %q not kept: %v", clip(v, 120), err)
	case !s.V3() && a.CVSS == "":
		a.CVSS = v
	case s.V3() && a.CVSSV3 == "":
		a.CVSSV3 = v
	case v != a.CVSS && v != a.CVSSV3:
		im.warnf("second CVSS %s vector %q not kept: the format holds one per version", s.Version, v)
	}
}

// cweNames takes the name of each CWE from its problem type description
// ("CWE-400 Uncontrolled Resource Consumption"); a problem type that names
// no CWE goes to the notes with a warning.
func (im *Imported) cweNames(c *CNA) []advisory.CWEName {
	var out []advisory.CWEName
	named := map[string]bool{}
	for _, pt := range c.ProblemTypes {
		for _, d := range pt.Descriptions {
			id := d.CWEID
			if id == "" {
				id = rule.LeadingCWE(d.Description)
			}
			if !rule.IsCWE(id) {
				if text := oneLine(d.Description); text != "" {
					im.warnf("problem type %q not kept: it names no CWE", clip(text, 200))
				}
				continue
			}
			name := cweName(id, d.Description)
			if name != "" && !named[id] {
				named[id] = true
				out = append(out, advisory.CWEName{ID: id, Name: name})
			}
		}
	}
	return out
}

// cweName is the description without its leading CWE ID and separators.
func cweName(id, desc string) string {
	desc = oneLine(desc)
	rest, ok := strings.CutPrefix(desc, id)
	if !ok {
		return ""
	}
	return clip(strings.TrimSpace(strings.TrimLeft(rest, " :-–")), 256)
}

func (im *Imported) warnf(format string, args ...any) {
	im.Warnings = append(im.Warnings, fmt.Sprintf(format, args...))
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// unheld warns about the record's facts the format has no field for: the
// public disclosure date when it differs from the publication date, and
// CAPEC impacts.
func (im *Imported) unheld(r *Record) {
	c := r.Containers.CNA
	if t, err := parseCVETime(c.DatePublic); err == nil && c.DatePublic != "" {
		if p, err := parseCVETime(r.CVEMetadata.DatePublished); err != nil || !p.Equal(t) {
			im.warnf("datePublic %s not kept: the advisory's published time is the record's datePublished", clip(c.DatePublic, 40))
		}
	}
	for _, imp := range c.Impacts {
		text, _ := English(imp.Descriptions)
		im.warnf("impact %q not kept: the format has no place for CAPEC impacts", clip(oneLine(strings.TrimSpace(imp.CapecID+" "+strings.TrimPrefix(oneLine(text), imp.CapecID))), 200))
	}
}
