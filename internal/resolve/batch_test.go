package resolve

import (
	"slices"
	"strings"
	"testing"
)

func TestReadBatch(t *testing.T) {
	in := "{\"id\":\"a\",\"fixed\":[\"f1\"]}\n\n  {\"id\":\"b\",\"introduced\":[\"i1\"],\"last_affected\":[\"l1\"]}  \n"
	got, err := ReadBatch(strings.NewReader(in), "ranges.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "a" || !slices.Equal(got[0].Introduced, []string{"0"}) ||
		!slices.Equal(got[1].Introduced, []string{"i1"}) || !slices.Equal(got[1].LastAffected, []string{"l1"}) {
		t.Errorf("ReadBatch = %+v", got)
	}
	for _, c := range []struct{ in, want string }{
		{"{\"id\":\"a\"}\n{\"id\":\"b\",\"colour\":1}\n", `ranges.jsonl:2: json: unknown field "colour"`},
		{"{\"id\":\"a\"} {\"id\":\"b\"}\n", "ranges.jsonl:1: one JSON object per line"},
		{"[1]\n", "ranges.jsonl:1: json: cannot unmarshal"},
		{strings.Repeat("x", 17<<20), "ranges.jsonl: bufio.Scanner: token too long"},
	} {
		if _, err := ReadBatch(strings.NewReader(c.in), "ranges.jsonl"); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ReadBatch(%.30q) = %v, want an error starting %q", c.in, err, c.want)
		}
	}
}
