package ghsa

import (
	"fmt"

	"github.com/google/go-github/v84/github"

	"github.com/psf/advisory-builder/internal/osv"
)

// vulnerabilities are the record's vulnerable packages in GitHub's terms:
// one entry per ECOSYSTEM range interval (GitHub takes one range per
// entry, so a package affected in two intervals appears twice).
func vulnerabilities(v *osv.Vulnerability) ([]*github.AdvisoryVulnerability, error) {
	var out []*github.AdvisoryVulnerability
	for _, a := range v.Affected {
		if a.Package == nil {
			continue
		}
		eco := Ecosystems[a.Package.Ecosystem]
		if eco == "" {
			return nil, fmt.Errorf("%s: the package ecosystem %q has no GitHub advisory ecosystem", v.ID, a.Package.Ecosystem)
		}
		for _, r := range a.Ranges {
			if r.Type != "ECOSYSTEM" {
				continue
			}
			for _, iv := range intervals(r.Events) {
				out = append(out, &github.AdvisoryVulnerability{
					Package:                &github.VulnerabilityPackage{Ecosystem: github.Ptr(eco), Name: github.Ptr(a.Package.Name)},
					VulnerableVersionRange: github.Ptr(iv.vulnerable()),
					PatchedVersions:        iv.patched(),
				})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no package version range (versions unknown: no lock entry, no release facts, no ECOSYSTEM range); a GitHub advisory must say which versions are vulnerable: resolve it, or state first_affected and fixed_in", v.ID)
	}
	return out, nil
}

// interval is one affected span of an ECOSYSTEM range: from introduced
// ("0": every earlier version) to a fixed or last affected version, or
// open.
type interval struct {
	introduced, fixed, lastAffected string
}

// intervals pairs each introduced event with the next fixed or
// last_affected event (OSV's events, in order).
func intervals(events []osv.Event) []interval {
	var out []interval
	var cur *interval
	for _, e := range events {
		switch {
		case e.Introduced != "":
			if cur != nil {
				out = append(out, *cur)
			}
			cur = &interval{introduced: e.Introduced}
		case cur != nil && e.Fixed != "":
			cur.fixed = e.Fixed
			out = append(out, *cur)
			cur = nil
		case cur != nil && e.LastAffected != "":
			cur.lastAffected = e.LastAffected
			out = append(out, *cur)
			cur = nil
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

// vulnerable is the interval in GitHub's range syntax: "< 23.3",
// ">= 1.0, < 2.0", "<= 1.5", ">= 0".
func (iv interval) vulnerable() string {
	var lower, upper string
	if iv.introduced != "0" {
		lower = ">= " + iv.introduced
	}
	switch {
	case iv.fixed != "":
		upper = "< " + iv.fixed
	case iv.lastAffected != "":
		upper = "<= " + iv.lastAffected
	}
	switch {
	case lower != "" && upper != "":
		return lower + ", " + upper
	case upper != "":
		return upper
	case lower != "":
		return lower
	}
	return ">= 0"
}

// patched is the first fixed version, or nil when none is known.
func (iv interval) patched() *string {
	if iv.fixed == "" {
		return nil
	}
	return github.Ptr(iv.fixed)
}
