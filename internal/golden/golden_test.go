package golden

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

func isOut(name string) bool { return strings.HasPrefix(name, "out.") }

var golden = txtar.Parse([]byte("comment\n-- in.md --\ninput\n-- out.text --\none\ntwo\n-- out.json --\n[]\n"))

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  []txtar.File
		want []string
	}{
		{"same", []txtar.File{{Name: "out.json", Data: []byte("[]\n")}, {Name: "out.text", Data: []byte("one\ntwo\n")}}, nil},
		{"differs", []txtar.File{{Name: "out.text", Data: []byte("one\nthree\n")}, {Name: "out.json", Data: []byte("[]\n")}},
			[]string{"out.text differs: line 2:\n  want: two\n  got:  three"}},
		{"new and gone", []txtar.File{{Name: "out.text", Data: []byte("one\ntwo\n")}, {Name: "out.html", Data: []byte("<p>\n")}},
			[]string{"out.html is new, not in the golden file:\n<p>\n", "out.json is in the golden file but no longer produced"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Diff(golden, tc.got, isOut)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("Diff = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestMerge: inputs and the comment kept, outputs replaced in place,
// dropped when no longer produced, new ones appended; the merge then has
// no difference.
func TestMerge(t *testing.T) {
	got := []txtar.File{{Name: "out.html", Data: []byte("<p>\n")}, {Name: "out.text", Data: []byte("1\n")}}
	m := Merge(golden, got, isOut)
	if want := "comment\n-- in.md --\ninput\n-- out.text --\n1\n-- out.html --\n<p>\n"; string(txtar.Format(m)) != want {
		t.Errorf("Merge:\n%s\nwant\n%s", txtar.Format(m), want)
	}
	if d := Diff(m, got, isOut); len(d) != 0 {
		t.Errorf("the merged archive still differs: %q", d)
	}
}
