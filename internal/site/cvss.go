package site

import (
	"strconv"

	gocvss40 "github.com/pandatix/go-cvss/40"
)

// scoreCVSS computes the CVSS 4.0 base score of vector. An invalid vector
// still shows (as text) with no score.
func scoreCVSS(vector string) (v *cvssView) {
	v = &cvssView{Vector: clip(vector, 300)}
	defer func() {
		if recover() != nil { // the library must not take the build down
			v.Score, v.Rating = "", ""
		}
	}()
	if len(vector) > 300 {
		return v
	}
	c, err := gocvss40.ParseVector(vector)
	if err != nil {
		return v
	}
	score := c.Score()
	rating, err := gocvss40.Rating(score)
	if err != nil {
		return v
	}
	v.Score = strconv.FormatFloat(score, 'f', 1, 64)
	v.Rating = ratingLabel(rating)
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
