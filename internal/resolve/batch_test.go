package resolve

import (
	"encoding/json"
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

// encoderLine is what json.Encoder writes for res: the reference
// appendBatchResult must match byte for byte.
func encoderLine(res BatchResult) string {
	var sb strings.Builder
	json.NewEncoder(&sb).Encode(res)
	return sb.String()
}

func TestBatchLineMatchesEncoder(t *testing.T) {
	for _, res := range []BatchResult{
		{ID: "PSF-2024-1", Versions: []string{"v3.12.0", "v3.12.1rc1"}},
		{ID: "", Versions: []string{}},
		{ID: "x", Versions: nil},
		{ID: "a\"b\\c<d>e&f", Versions: []string{"\x00\x1f\n\t\b\f", "\u2028\u2029", "\xff\xfe", "é", "\x7f"}},
	} {
		if got, want := string(appendBatchResult(nil, res)), encoderLine(res); got != want {
			t.Errorf("appendBatchResult(%q) = %q, want %q", res, got, want)
		}
	}
}

// FuzzBatchLine: for any ID and versions, the batch line is what
// json.Encoder writes.
func FuzzBatchLine(f *testing.F) {
	f.Add("PSF-2024-1", "v3.12.0", "<&>")
	f.Add("\xff", "\u2028", "\"\\")
	f.Fuzz(func(t *testing.T, id, v1, v2 string) {
		res := BatchResult{ID: id, Versions: []string{v1, v2}}
		if got, want := string(appendBatchResult(nil, res)), encoderLine(res); got != want {
			t.Fatalf("appendBatchResult(%q) = %q, want %q", res, got, want)
		}
	})
}
