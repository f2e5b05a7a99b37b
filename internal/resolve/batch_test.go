package resolve

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/gitgraph"
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

// batchLines is the line appendBatchLine writes for tags named names with
// the tags whose bit is set in mask affected, and appendBatchResult's line
// for the same result, which it must equal.
func batchLines(id string, names []string, mask uint64) (got, want string) {
	r := &Resolver{}
	for _, n := range names {
		r.tags = append(r.tags, gitgraph.Tag{Name: n})
	}
	res := &Result{r: r, affected: newBitset(len(names))}
	for t := range names {
		if mask&(1<<(t%64)) != 0 {
			res.affected.set(t)
		}
	}
	got = string(appendBatchLine(nil, id, res, quoteTagNames(r.tags)))
	want = string(appendBatchResult(nil, BatchResult{ID: id, Versions: res.Versions()}))
	return got, want
}

func TestBatchLineMatchesResult(t *testing.T) {
	for _, c := range []struct {
		id    string
		names []string
		mask  uint64
	}{
		{"PSF-2024-1", []string{"v3.12.0", "v3.12.1rc1", "v3.13.0"}, 0b101},
		{"none", []string{"v3.12.0"}, 0},
		{"no tags", nil, 0},
		{"a\"b<c>", []string{"v1<&>", "\xff", "\u2028"}, 0b111},
	} {
		if got, want := batchLines(c.id, c.names, c.mask); got != want {
			t.Errorf("%s: appendBatchLine = %q, want %q", c.id, got, want)
		}
	}
}

// FuzzBatchLineOfResult: for any ID, tag names and affected set, the line
// written from the quoted names is the line of the result's Versions.
func FuzzBatchLineOfResult(f *testing.F) {
	f.Add("PSF-2024-1", "v3.12.0", "v3.12.1", "v3.13.0a1", uint64(5))
	f.Add("\xff", "\u2028", "<&>", "\"\\", uint64(7))
	f.Fuzz(func(t *testing.T, id, n1, n2, n3 string, mask uint64) {
		if got, want := batchLines(id, []string{n1, n2, n3}, mask); got != want {
			t.Fatalf("appendBatchLine = %q, want %q", got, want)
		}
	})
}

func TestQuickLine(t *testing.T) {
	for _, c := range []struct {
		line string
		ok   bool
	}{
		{`{"id":"PSF-2024-1","introduced":["0"],"fixed":["abc","def"],"last_affected":[]}`, true},
		{` { "id" : "a" , "fixed" : [ "f" ] } `, true},
		{`{}`, true},
		{`{"id":"a","id":"b"}`, false},       // duplicate: encoding/json decides
		{`{"ID":"a"}`, false},                // other spelling: encoding/json matches it
		{`{"id":"a\"b"}`, false},             // escape
		{`{"id":null}`, false},               // null
		{`{"id":"a"} {"id":"b"}`, false},     // two objects: encoding/json's error
		{`{"id":"a",}`, false},               // trailing comma
		{`{"id":"é"}`, false},                // not ASCII
		{`{"id":"a","colour":"red"}`, false}, // unknown key: encoding/json's error
	} {
		got, ok := quickLine([]byte(c.line))
		if ok != c.ok {
			t.Errorf("quickLine(%s) ok = %v, want %v", c.line, ok, c.ok)
			continue
		}
		if want, err := jsonLine([]byte(c.line)); ok && (err != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("quickLine(%s) = %#v, encoding/json gives %#v, %v", c.line, got, want, err)
		}
	}
}

// FuzzQuickLine: whatever line quickLine accepts, encoding/json reads the
// same way.
func FuzzQuickLine(f *testing.F) {
	f.Add(`{"id":"PSF-2024-1","introduced":["0"],"fixed":["abc","def"],"last_affected":[]}`)
	f.Add(` { "id" : "a" , "fixed" : [ "f" ] } `)
	f.Add(`{"id":"a","id":"b"}`)
	f.Add(`{"fixed":[]}`)
	f.Fuzz(func(t *testing.T, line string) {
		got, ok := quickLine([]byte(line))
		if !ok {
			return
		}
		if want, err := jsonLine([]byte(line)); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("quickLine(%q) = %#v, encoding/json gives %#v, %v", line, got, want, err)
		}
	})
}
