// Package golden is the golden-file harness of the tests: outputs kept in
// txtar archives under testdata, compared section by section, and
// rewritten from the current output with go test -update. Tests only.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files (testdata/*.txtar) from the current output")

// Updating reports whether this run rewrites golden files (-update).
func Updating() bool { return *update }

// Check compares the output sections of the archive file ar (the sections
// whose names owned accepts; the others are the case's inputs) with got.
// With -update it rewrites file instead: each output section replaced in
// place, those got lacks removed, new ones appended.
func Check(t testing.TB, file string, ar *txtar.Archive, got []txtar.File, owned func(name string) bool) {
	t.Helper()
	if *update {
		write(t, file, Merge(ar, got, owned))
		return
	}
	for _, p := range Diff(ar, got, owned) {
		t.Errorf("%s: %s (run go test -update to accept)", file, p)
	}
}

// Archive compares got, a whole output, with the golden archive file
// (every section an output); -update writes got there.
func Archive(t testing.TB, file string, got *txtar.Archive) {
	t.Helper()
	if *update {
		write(t, file, got)
		return
	}
	want, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	Check(t, file, want, got.Files, All)
}

// All owns every section.
func All(string) bool { return true }

// Diff lists how got differs from the output sections of ar: sections
// new, different (with the first differing line) or no longer produced.
func Diff(ar *txtar.Archive, got []txtar.File, owned func(string) bool) []string {
	want := map[string][]byte{}
	for _, f := range ar.Files {
		if owned(f.Name) {
			want[f.Name] = f.Data
		}
	}
	var out []string
	for _, f := range got {
		w, ok := want[f.Name]
		delete(want, f.Name)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s is new, not in the golden file:\n%s", f.Name, f.Data))
		case !bytes.Equal(w, f.Data):
			out = append(out, fmt.Sprintf("%s differs: %s", f.Name, firstDiff(w, f.Data)))
		}
	}
	var gone []string
	for name := range want {
		gone = append(gone, name)
	}
	sort.Strings(gone)
	for _, name := range gone {
		out = append(out, name+" is in the golden file but no longer produced")
	}
	return out
}

// Merge is ar with its output sections replaced by got: in place when got
// has the section, removed when not, got's new sections appended.
func Merge(ar *txtar.Archive, got []txtar.File, owned func(string) bool) *txtar.Archive {
	byName := map[string][]byte{}
	for _, f := range got {
		byName[f.Name] = f.Data
	}
	out := &txtar.Archive{Comment: ar.Comment}
	placed := map[string]bool{}
	for _, f := range ar.Files {
		data, ok := byName[f.Name]
		switch {
		case !owned(f.Name):
			out.Files = append(out.Files, f)
		case ok && !placed[f.Name]:
			out.Files = append(out.Files, txtar.File{Name: f.Name, Data: data})
			placed[f.Name] = true
		}
	}
	for _, f := range got {
		if !placed[f.Name] {
			out.Files = append(out.Files, f)
			placed[f.Name] = true
		}
	}
	return out
}

// firstDiff shows the first differing line of want and got.
func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "same lines"
}

func write(t testing.TB, file string, ar *txtar.Archive) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}
