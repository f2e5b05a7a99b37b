package site

import (
	"strconv"

	"github.com/psf/advisory-builder/internal/cvss"
)

// cvssViews scores the advisory's vectors (CVSS 4.0, then 3.x) with
// internal/cvss, the project's one scorer. An invalid vector still shows,
// as text with no score.
func cvssViews(v4, v3 string) []cvssView {
	var out []cvssView
	for _, vec := range []string{v4, v3} {
		if vec != "" {
			out = append(out, scoreCVSS(vec))
		}
	}
	return out
}

func scoreCVSS(vector string) cvssView {
	v := cvssView{Vector: clip(vector, 300), Version: cvss.VersionOf(vector)}
	s, err := cvss.Parse(vector)
	if err != nil {
		return v
	}
	v.Score = strconv.FormatFloat(s.Base, 'f', 1, 64)
	v.Rating = ratingLabel(s.Severity)
	return v
}

func ratingLabel(r string) string {
	switch r {
	case "CRITICAL":
		return "Critical"
	case "HIGH":
		return "High"
	case "MEDIUM":
		return "Medium"
	case "LOW":
		return "Low"
	}
	return "None"
}
