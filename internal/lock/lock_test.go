package lock

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/psf/advisory-builder/internal/advisory"
)

func TestWriteReadRoundTrip(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "advisories"), 0o755); err != nil {
		t.Fatal(err)
	}
	l := &Lock{Product: "python", Repo: "https://github.com/python/cpython", Tags: 2, Advisories: map[string]*Entry{
		"PSF-2024-9": {InputDigest: "d", Versions: []string{"v3.12.0", "v3.12.5"},
			Fixed:    []Fix{{Commit: "a77ab24427a18bff817025adb03ca920dc3f1a06", Branch: "3.12", Source: "authored", Tag: "v3.12.6"}},
			Branches: []BranchResult{{Branch: "3.12", Status: StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.5", FixedIn: "v3.12.6"}}},
		"PSF-2024-1": {InputDigest: "e", Versions: []string{"v3.12.0"}},
	}}
	if err := Write(root, l); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(Path(root, "python"))
	got, err := Read(root, "python")
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(root, got); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(Path(root, "python"))
	if string(first) != string(second) {
		t.Errorf("round trip changed the lock:\n%s\n%s", first, second)
	}
	if strings.Index(string(first), "PSF-2024-1") > strings.Index(string(first), "PSF-2024-9") {
		t.Error("advisories are not in sorted order")
	}
	// Interned: the same tag name shares one string.
	a, b := got.Advisories["PSF-2024-9"].Versions[0], got.Advisories["PSF-2024-1"].Versions[0]
	if a != b || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("the repeated tag v3.12.0 is not one shared string")
	}
}

func TestReadMissingAndBroken(t *testing.T) {
	root := t.TempDir()
	l, err := Read(root, "pip")
	if err != nil || len(l.Advisories) != 0 || l.Product != "pip" {
		t.Fatalf("missing lock: %+v, %v", l, err)
	}
	os.MkdirAll(filepath.Join(root, "advisories"), 0o755)
	os.WriteFile(Path(root, "pip"), []byte(`{"product": "pip", "extra": 1}`), 0o644)
	if _, err := Read(root, "pip"); err == nil || !strings.Contains(err.Error(), "advisory resolve") {
		t.Errorf("unknown field: err = %v", err)
	}
}

func TestInputDigestFollowsRange(t *testing.T) {
	a := &advisory.Advisory{Introduced: "0", Branches: []advisory.Branch{{Branch: "main", Fixed: "aa"}}}
	b := *a
	b.Branches = []advisory.Branch{{Branch: "main", Fixed: "ab"}}
	c := *a
	c.Title = "only the title changed"
	if InputDigest(a) == InputDigest(&b) {
		t.Error("a changed fix must change the digest")
	}
	if InputDigest(a) != InputDigest(&c) {
		t.Error("a title change must not change the digest")
	}
}

func TestReadRefusesMalformed(t *testing.T) {
	for name, doc := range map[string]string{
		"not an object":     `[]`,
		"unknown top field": `{"product": "pip", "colour": 1}`,
		"unknown entry key": `{"advisories": {"PSF-2024-1": {"versoins": []}}}`,
		"advisories a list": `{"advisories": []}`,
		"trailing data":     `{"product": "pip"} {}`,
		"truncated":         `{"product": "pip", "advisories": {"PSF-2024-1": {`,
		"wrong type":        `{"tags": "many"}`,
	} {
		root := t.TempDir()
		os.MkdirAll(filepath.Join(root, "advisories"), 0o755)
		os.WriteFile(Path(root, "pip"), []byte(doc), 0o644)
		if _, err := Read(root, "pip"); err == nil || !strings.Contains(err.Error(), "pip.lock.json") {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
}

func TestAffectedOldestFirst(t *testing.T) {
	e := &Entry{Branches: []BranchResult{
		{Branch: "main", Status: StatusFixed, FirstAffected: "v3.14.0a1"},
		{Branch: "3.10", Status: StatusFixed, FirstAffected: "v3.10.0", FixedIn: "v3.10.15"},
		{Branch: "3.9", Status: StatusUnfixed, FirstAffected: "v3.9.0"},
		{Branch: "3.13", Status: StatusNotAffected},
		{Branch: "3.12", Status: StatusFixed}, // fixed before any release: nothing affected
	}}
	var got []string
	for _, b := range e.Affected() {
		got = append(got, b.Branch)
	}
	if strings.Join(got, " ") != "3.9 3.10 main" {
		t.Errorf("Affected() = %v, want [3.9 3.10 main]", got)
	}
}
