package plaintext

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/psf/advisory-builder/internal/golden"
)

// TestGolden renders in.md of each testdata/*.txtar at the width its
// comment gives ("width: N") and compares with out.txt.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			in := section(ar, "in.md")
			if in == nil {
				t.Fatalf("%s needs an in.md section", file)
			}
			got := Markdown(string(in.Data), width(t, ar)) + "\n"
			golden.Check(t, file, ar, []txtar.File{{Name: "out.txt", Data: []byte(got)}}, isOutput)
		})
	}
}

// isOutput: a case's output is out.txt.
func isOutput(name string) bool { return name == "out.txt" }

func section(ar *txtar.Archive, name string) *txtar.File {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			return &ar.Files[i]
		}
	}
	return nil
}

func width(t *testing.T, ar *txtar.Archive) int {
	for _, l := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(l, "width: "); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("width %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatal(`the comment needs a line "width: N"`)
	return 0
}
