// Package check answers "is this interpreter (or pip) affected?": it reads a
// version as typed or as printed by `python -VV` / `pip --version`, and lists
// the advisories whose computed affected versions include it, with the
// release of its branch that has the fix.
package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/psf/advisory-builder/internal/version"
)

// Query is a parsed version of a product.
type Query struct {
	Product string
	Version version.Version
}

var (
	pythonVV = regexp.MustCompile(`^(?i:python)\s+(\S+)`)
	pipV     = regexp.MustCompile(`^pip\s+(\S+)(\s+from\s.*)?$`)
)

// ParseInput reads "3.12.4", "v3.12.4", the first line of `python -VV`
// ("Python 3.12.4 (main, Jun  6 2024, 18:26:44) [GCC 12.2.0]") or of
// `pip --version` ("pip 23.3 from /usr/lib/python3/dist-packages/pip
// (python 3.11)"). prod is the product asked for ("" lets the input decide;
// python by default).
func ParseInput(in, prod string) (Query, error) {
	line, _, _ := strings.Cut(strings.TrimSpace(in), "\n")
	line = strings.TrimSpace(line)
	detected, raw := "", line
	if m := pythonVV.FindStringSubmatch(line); m != nil {
		detected, raw = "python", m[1]
	} else if m := pipV.FindStringSubmatch(line); m != nil {
		detected, raw = "pip", m[1]
	}
	switch {
	case prod == "":
		prod = detected
		if prod == "" {
			prod = "python"
		}
	case detected != "" && detected != prod:
		return Query{}, fmt.Errorf("%q is a %s version, but --product is %s", line, detected, prod)
	}
	if strings.HasSuffix(raw, "+") {
		return Query{}, fmt.Errorf("%q is a development build (the trailing + means built after the release %s); check that release, or a release of your choosing, instead", raw, strings.TrimSuffix(raw, "+"))
	}
	v, err := version.Parse(raw)
	if err != nil {
		return Query{}, fmt.Errorf("unknown version format %q: give a release like 3.12.4, v3.12.4, 3.13.0rc1, or the output of `python -VV` / `pip --version`", line)
	}
	return Query{Product: prod, Version: v}, nil
}
