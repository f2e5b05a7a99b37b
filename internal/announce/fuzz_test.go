package announce_test

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/announce"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// FuzzEmail: any description and mitigations render without panicking, the
// same input gives the same text, and prose lines fit 72 columns unless
// they hold one unbreakable word or are code.
func FuzzEmail(f *testing.F) {
	cfg, err := product.Load(filepath.Join("..", ".."))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Some *text* with [a link](https://x.test).\n\n- item\n- item two", "Upgrade.")
	f.Add("```\ncode\n", "> quote")
	f.Fuzz(func(t *testing.T, desc, mit string) {
		a := &advisory.Advisory{ID: "PSF-2025-1", Aliases: []string{"CVE-2025-1234"}, Title: "T", Severity: "low",
			Description: desc, Mitigations: mit, Introduced: "0", Product: "python",
			Branches: []advisory.Branch{{Branch: "main", PR: 1}}}
		res := &lock.Entry{Branches: []lock.BranchResult{{Branch: "3.12", Status: lock.StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.1", FixedIn: "v3.12.2"}}}
		rec := &osv.Record{Advisory: a, Product: cfg["python"], Resolution: res}
		one, err := announce.Email(rec)
		if err != nil {
			t.Fatal(err)
		}
		two, _ := announce.Email(rec)
		if one != two {
			t.Fatal("unstable output")
		}
		if strings.ContainsAny(desc+mit, "`~\t") || strings.Contains(desc+mit, "    ") {
			return
		}
		for _, l := range strings.Split(one, "\n") {
			fs := strings.Fields(l)
			if utf8.RuneCountInString(l) > announce.Width && len(fs) > 2 && !strings.HasPrefix(l, "Subject:") {
				t.Fatalf("line over %d columns: %q", announce.Width, l)
			}
		}
	})
}
