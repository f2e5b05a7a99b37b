package lock

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/packed"
	"github.com/psf/advisory-builder/internal/product"
)

// testProduct is a product whose tags are vX.Y.Z.
func testProduct(t testing.TB) *product.Product {
	t.Helper()
	return &product.Product{Name: "python", TagPattern: `^v\d+\.\d+\.\d+$`}
}

const digestA = "88a53f7b24a7c3602fd31f3c716ecb0b39b6bad663ae4e9a36982d42db29697d"

func commitN(n int) string { return fmt.Sprintf("%040x", n+1) }

// packedLock is a lock whose entries exercise every field, nil and empty
// lists alike.
func packedLock() *Lock {
	l := &Lock{Product: "python", Repo: "https://github.com/python/cpython", Tags: 3, TagsDigest: digestA, Advisories: map[string]*Entry{}}
	for i := range 40 {
		e := &Entry{InputDigest: strings.Repeat(fmt.Sprintf("%x", i%16), 64)}
		if i%3 != 0 {
			e.Fixed = []Fix{{Commit: commitN(i), Branch: "main", Source: SourceAuthored}, {Commit: commitN(i + 100), Branch: "3.12", Source: SourcePatchID, Tag: "v3.12.6"}}
			e.Branches = []BranchResult{{Branch: "main", Status: StatusFixed, FixCommit: commitN(i)}, {Branch: "3.12", Status: StatusFixed, FirstAffected: "v3.12.0", LastAffected: "v3.12.5", FixedIn: "v3.12.6", FixCommit: commitN(i + 100)}}
			e.Versions = []string{"v3.12.0", "v3.12.5"}
			e.Changed = "2024-06-01T00:00:00Z"
		}
		if i%5 == 0 {
			e.Versions, e.Branches, e.Fixed = []string{}, []BranchResult{}, []Fix{}
		}
		if i%7 == 0 {
			e.Warnings = []string{"3.9 is maintained and still unfixed"}
		}
		l.Advisories[fmt.Sprintf("PSF-2024-%d", i+1)] = e
	}
	return l
}

func writeLockText(t *testing.T, text string) string {
	t.Helper()
	root := t.TempDir()
	writeLockTextTB(t, root, []byte(text))
	return root
}

func writeLockTextTB(tb testing.TB, root string, data []byte) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Join(root, "advisories"), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(Path(root, "python"), data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// readChecked is what a build did before it packed locks: Read, then Check.
func readChecked(root string, p *product.Product) (*Lock, error) {
	l, err := Read(root, p.Name)
	if err != nil {
		return nil, err
	}
	return l, Check(root, l, p)
}

// samePacked fails unless ReadPacked of root answers as Read and Check do:
// the same error, or the same fields and the same entries.
func samePacked(t *testing.T, root string) {
	t.Helper()
	p := testProduct(t)
	want, werr := readChecked(root, p)
	got, gerr := ReadPacked(root, p)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) {
		t.Fatalf("ReadPacked error:\n%v\nRead and Check:\n%v", gerr, werr)
	}
	if werr != nil {
		return
	}
	if got.Product != want.Product || got.Repo != want.Repo || got.Tags != want.Tags || got.TagsDigest != want.TagsDigest {
		t.Errorf("fields: got %+v, want %+v", got, want)
	}
	if got.Len() != len(want.Advisories) {
		t.Errorf("%d entries, want %d", got.Len(), len(want.Advisories))
	}
	for _, id := range got.IDs() {
		if !reflect.DeepEqual(got.Entry(id), want.Advisories[id]) {
			t.Errorf("%s: got %+v, want %+v", id, got.Entry(id), want.Advisories[id])
		}
		if got.ContentDigest(id) != want.Advisories[id].ContentDigest() {
			t.Errorf("%s: content digest differs", id)
		}
	}
	n := 0
	for id, e := range got.All() {
		if !reflect.DeepEqual(e, want.Advisories[id]) {
			t.Errorf("All: %s: got %+v, want %+v", id, e, want.Advisories[id])
		}
		n++
	}
	if n != len(want.Advisories) {
		t.Errorf("All: %d entries, want %d", n, len(want.Advisories))
	}
	if got.Entry("PSF-1999-1") != nil || got.Has("PSF-1999-1") {
		t.Error("an ID the lock does not hold has an entry")
	}
}

func TestReadPackedAgreesWithRead(t *testing.T) {
	data, err := packedLock().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	good := string(data)
	for name, text := range map[string]string{
		"every field":      good,
		"empty":            `{"product": "python", "advisories": {}}`,
		"bad, then sound":  `{"product": "python", "advisories": {"PSF-2024-1": {"input_digest": "x"}, "PSF-2024-1": {"input_digest": "` + digestA + `"}}}`,
		"sound, then bad":  `{"product": "python", "advisories": {"PSF-2024-1": {"input_digest": "` + digestA + `"}, "PSF-2024-1": {"input_digest": "x"}}}`,
		"an ID twice":      `{"product": "python", "advisories": {"PSF-2024-1": {"input_digest": "` + digestA + `", "versions": ["v3.1.1"]}, "PSF-2024-1": {"input_digest": "` + digestA + `", "versions": ["v3.1.2"]}}}`,
		"wrong product":    strings.Replace(good, `"product": "python"`, `"product": "pip"`, 1),
		"bad tag":          strings.Replace(good, `"v3.12.5"`, `"3.12.5"`, 1),
		"two bad entries":  strings.Replace(strings.Replace(good, `"PSF-2024-9": {`, `"PSF-2024-9": {"changed": "soon", `, 1), `"PSF-2024-30": {`, `"PSF-2024-30": {"changed": "later", `, 1),
		"bad ID":           strings.Replace(good, `"PSF-2024-33"`, `"PSF-24-33"`, 1),
		"bad input digest": strings.Replace(good, strings.Repeat("2", 64), "22", 1),
		"header and entry": strings.Replace(strings.Replace(good, `"v3.12.5"`, `"3.12.5"`, 1), `"tags_digest": "`+digestA, `"tags_digest": "x`, 1),
		"syntax":           good[:len(good)/2],
	} {
		t.Run(name, func(t *testing.T) { samePacked(t, writeLockText(t, text)) })
	}
	t.Run("missing", func(t *testing.T) { samePacked(t, t.TempDir()) })
}

func TestPackedCurrent(t *testing.T) {
	a := &advisory.Advisory{ID: "PSF-2024-1", Product: "python", Introduced: "0", Branches: []advisory.Branch{{Branch: "main", Fixed: commitN(1)}}}
	l := &Lock{Product: "python", Advisories: map[string]*Entry{a.ID: {InputDigest: InputDigest(a)}}}
	data, _ := l.Marshal()
	p, err := ReadPacked(writeLockText(t, string(data)), testProduct(t))
	if err != nil {
		t.Fatal(err)
	}
	resolved := ResolvedPacked(map[string]*Packed{"python": p})
	if !resolved(a) || !Resolved(map[string]*Lock{"python": l})(a) {
		t.Error("a current entry is not current")
	}
	b := *a
	b.Introduced = commitN(9)
	other := b
	other.ID = "PSF-2024-2"
	pipA := *a
	pipA.Product = "pip"
	for _, x := range []*advisory.Advisory{&b, &other, &pipA} {
		if resolved(x) {
			t.Errorf("%s (%s, introduced %s) is current", x.ID, x.Product, x.Introduced)
		}
	}
}

// FuzzReadPacked: for any lock text, ReadPacked answers as Read and Check
// do; nothing panics.
func FuzzReadPacked(f *testing.F) {
	data, _ := packedLock().Marshal()
	f.Add(string(data))
	f.Add(`{"product": "python", "advisories": {"PSF-2024-1": {"input_digest": "` + digestA + `", "versions": null, "fixed": []}}}`)
	f.Add(`{"advisories": {"PSF-2024-1": {"warnings": ["a\tb"]}}}`)
	f.Fuzz(func(t *testing.T, text string) {
		samePacked(t, writeLockText(t, text))
	})
}

// TestPackedIndexPointerFree: the per-entry index the build holds has no
// pointers for the collector to scan.
func TestPackedIndexPointerFree(t *testing.T) {
	if !packed.PointerFree(reflect.TypeFor[packedEntry]()) {
		t.Error("packedEntry holds a pointer")
	}
}
