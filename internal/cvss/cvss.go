// Package cvss reads CVSS vectors (3.0, 3.1 and 4.0) and computes their base
// score and severity rating with github.com/pandatix/go-cvss, the one place
// the project scores a vector.
package cvss

import (
	"errors"
	"fmt"
	"strings"

	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"
)

// MaxLen caps the length of a vector read from input; the longest valid
// vectors (every environmental metric set) are well under it.
const MaxLen = 512

// Score is a parsed vector with its base score and rating.
type Score struct {
	// Version is "3.0", "3.1" or "4.0".
	Version string
	// Vector is the vector as given.
	Vector string
	// Base is the base score (CVSS 4.0: the CVSS-B/BT/BE/BTE score the
	// vector's metrics give).
	Base float64
	// Severity is the rating of Base: NONE, LOW, MEDIUM, HIGH or CRITICAL.
	Severity string
}

// V3 reports whether the score is a CVSS 3.x one (OSV type CVSS_V3).
func (s Score) V3() bool { return s.Version == "3.0" || s.Version == "3.1" }

// VersionOf returns the version a vector's prefix names ("3.0", "3.1",
// "4.0"), or "" when it names none of them.
func VersionOf(vector string) string {
	for _, v := range []string{"3.0", "3.1", "4.0"} {
		if strings.HasPrefix(vector, "CVSS:"+v+"/") {
			return v
		}
	}
	return ""
}

// Parse checks a vector and scores it. The error says what is wrong.
func Parse(vector string) (s Score, err error) {
	if len(vector) > MaxLen {
		return Score{}, fmt.Errorf("the vector is %d characters long, over %d", len(vector), MaxLen)
	}
	s = Score{Version: VersionOf(vector), Vector: vector}
	defer func() {
		if recover() != nil { // the library must never take a command down
			s, err = Score{}, errors.New("the CVSS library cannot read this vector")
		}
	}()
	switch s.Version {
	case "3.0":
		s.Base, s.Severity, err = score30(vector)
	case "3.1":
		s.Base, s.Severity, err = score31(vector)
	case "4.0":
		s.Base, s.Severity, err = score40(vector)
	default:
		return Score{}, errors.New("the vector must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/")
	}
	if err != nil {
		return Score{}, err
	}
	return s, nil
}

func score30(vector string) (float64, string, error) {
	v, err := gocvss30.ParseVector(vector)
	if err != nil {
		return 0, "", err
	}
	base := v.BaseScore()
	rating, err := gocvss30.Rating(base)
	return base, rating, err
}

func score31(vector string) (float64, string, error) {
	v, err := gocvss31.ParseVector(vector)
	if err != nil {
		return 0, "", err
	}
	base := v.BaseScore()
	rating, err := gocvss31.Rating(base)
	return base, rating, err
}

func score40(vector string) (float64, string, error) {
	v, err := gocvss40.ParseVector(vector)
	if err != nil {
		return 0, "", err
	}
	base := v.Score()
	rating, err := gocvss40.Rating(base)
	return base, rating, err
}
