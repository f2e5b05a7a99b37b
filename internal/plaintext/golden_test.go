package plaintext

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected out.txt of testdata/*.txtar")

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
			in, out := section(ar, "in.md"), section(ar, "out.txt")
			if in == nil || (out == nil && !*update) {
				t.Fatalf("%s needs in.md and out.txt sections", file)
			}
			got := Markdown(string(in.Data), width(t, ar)) + "\n"
			if *update {
				if out == nil {
					ar.Files = append(ar.Files, txtar.File{Name: "out.txt"})
					out = &ar.Files[len(ar.Files)-1]
				}
				out.Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(out.Data) {
				t.Errorf("%s: got\n%s\nwant\n%s(rewrite with go test ./internal/plaintext -update)", file, got, out.Data)
			}
		})
	}
}

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
