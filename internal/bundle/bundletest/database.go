package bundletest

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/lock"
)

// WriteDatabase writes a generated database of n advisories under out (which
// must not exist): two CPython advisories for each pip one, unique IDs and
// aliases, products.yaml as given, and resolution locks whose entries match
// the sources (so build takes their affected tags).
func WriteDatabase(out string, n int, productsYAML []byte) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists: give a new directory", out)
	}
	for _, d := range []string{"python", "pip"} {
		if err := os.MkdirAll(filepath.Join(out, "advisories", d), 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(out, "advisories", "products.yaml"), productsYAML, 0o644); err != nil {
		return err
	}
	locks := map[string]*lock.Lock{
		"python": {Product: "python", Repo: "https://github.com/python/cpython", Advisories: map[string]*lock.Entry{}},
		"pip":    {Product: "pip", Repo: "https://github.com/pypa/pip", Advisories: map[string]*lock.Entry{}},
	}
	for i := range n {
		prod := productOf(i)
		a := generate(i, prod)
		text, err := advisory.Marshal(a)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "advisories", prod, a.ID+".yaml"), text, 0o644); err != nil {
			return err
		}
		locks[prod].Advisories[a.ID] = entry(a, prod)
	}
	for _, l := range locks {
		if err := lock.Write(out, l); err != nil {
			return err
		}
	}
	return nil
}

// productOf is the product of the i-th generated advisory: two CPython
// advisories for each pip one.
func productOf(i int) string {
	if i%3 == 2 {
		return "pip"
	}
	return "python"
}

func hexOf(parts ...string) string {
	h := sha1.Sum([]byte(strings.Join(parts, "/")))
	return hex.EncodeToString(h[:])
}

func generate(i int, prod string) *advisory.Advisory {
	year := 2015 + i%10
	id := fmt.Sprintf("PSF-%d-%d", year, i+1)
	a := &advisory.Advisory{
		ID:        id,
		Aliases:   []string{fmt.Sprintf("CVE-%d-%d", year, 100000+i)},
		Published: fmt.Sprintf("%d-%02d-%02dT%02d:00:00Z", year, 1+i%12, 1+i%28, i%24),
		Title:     fmt.Sprintf("Generated advisory %d: quadratic parsing in a standard library module", i+1),
		Severity:  advisory.Severities[i%4],
		CWEs:      []string{"CWE-400"},
		Description: "Parsing a crafted input takes time quadratic in its length, so a\n" +
			"small request can keep a process busy for a long time.\n\nUpgrade to a fixed release.\n",
		Introduced: "0",
		Credits:    []advisory.Credit{{Name: "Jane Finder", Type: "FINDER"}},
	}
	if i%2 == 0 { // both CVSS versions, as a CVE record scored by the PSF carries
		a.CVSSV3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"
		a.CVSS = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N"
	}
	if prod == "pip" {
		a.Branches = []advisory.Branch{{Branch: "main", Fixed: hexOf(id, "main")}}
	} else {
		for _, b := range []string{"main", "3.13", "3.12"} {
			a.Branches = append(a.Branches, advisory.Branch{Branch: b, Fixed: hexOf(id, b)})
		}
	}
	a.References = []advisory.Reference{{Type: "FIX", URL: "https://github.com/python/cpython/commit/" + a.Branches[0].Fixed}}
	return a
}

func entry(a *advisory.Advisory, prod string) *lock.Entry {
	e := &lock.Entry{InputDigest: lock.InputDigest(a), Changed: "2024-06-01T00:00:00Z"}
	if prod == "pip" {
		e.Versions = []string{"22.0", "22.1", "22.2", "22.3", "23.0", "23.1", "23.2"}
		e.Fixed = []lock.Fix{{Commit: a.Branches[0].Fixed, Branch: "main", Source: "authored", Tag: "23.3"}}
		e.Branches = []lock.BranchResult{{Branch: "main", Status: lock.StatusFixed, FirstAffected: "22.0", LastAffected: "23.2", FixedIn: "23.3", FixCommit: a.Branches[0].Fixed}}
		return e
	}
	for _, minor := range []int{12, 13} {
		for p := range 6 {
			e.Versions = append(e.Versions, fmt.Sprintf("v3.%d.%d", minor, p))
		}
	}
	for _, br := range a.Branches {
		e.Fixed = append(e.Fixed, lock.Fix{Commit: br.Fixed, Branch: br.Branch, Source: "authored"})
	}
	e.Branches = []lock.BranchResult{
		{Branch: "main", Status: lock.StatusFixed, FixCommit: a.Branches[0].Fixed},
		{Branch: "3.13", Status: lock.StatusFixed, FirstAffected: "v3.13.0", LastAffected: "v3.13.5", FixedIn: "v3.13.6", FixCommit: a.Branches[1].Fixed},
		{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.5", FixedIn: "v3.12.6", FixCommit: a.Branches[2].Fixed},
	}
	return e
}
