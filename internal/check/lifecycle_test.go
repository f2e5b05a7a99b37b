package check

import (
	"testing"

	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

func lifecycleProduct() *product.Product {
	return &product.Product{Name: "python", Title: "CPython",
		TagPattern: `^v[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|c|rc)[0-9]+)?$`,
		Branches: map[string]string{"main": "feature", "3.13": "bugfix", "3.12": "security", "3.11": "security",
			"3.10": "end-of-life", "3.8": "end-of-life"}}
}

func TestEndOfLifeBranch(t *testing.T) {
	p := lifecycleProduct()
	for _, tc := range []struct{ version, want string }{
		{"3.8.19", "3.8"}, {"3.10.0rc1", "3.10"}, {"3.12.3", ""}, {"3.9.1", ""}, // 3.9 not listed: nothing claimed
		{"not a version", ""},
	} {
		if got := EndOfLifeBranch(p, tc.version); got != tc.want {
			t.Errorf("EndOfLifeBranch(%s) = %q, want %q", tc.version, got, tc.want)
		}
	}
	if got := EndOfLifeBranch(nil, "3.8.19"); got != "" {
		t.Errorf("no product: %q", got)
	}
}

func TestMaintainedFix(t *testing.T) {
	p := lifecycleProduct()
	d := verdict.Summary{Source: verdict.Authored, Branches: []lock.BranchResult{
		{Branch: "3.13", Status: lock.StatusFixed, FixedIn: "3.13.1"},
		{Branch: "3.12", Status: lock.StatusFixed, FixedIn: "v3.12.8"},
		{Branch: "3.11", Status: lock.StatusUnfixed},
		{Branch: "3.10", Status: lock.StatusFixed, FixedIn: "3.10.16"}, // end-of-life: not a maintained fix
		{Branch: "3.8", Status: lock.StatusUnfixed},
	}}
	for _, tc := range []struct{ above, want string }{
		{"", "3.12.8"},
		{"3.8.19", "3.12.8"},
		{"3.12.8", "3.13.1"},
		{"3.13.1", ""},
	} {
		if got := MaintainedFix(d, p, tc.above); got != tc.want {
			t.Errorf("MaintainedFix(above %q) = %q, want %q", tc.above, got, tc.want)
		}
	}
}
