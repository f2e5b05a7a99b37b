package advisory

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// generalParse is the reference quickParse answers to: yaml.v3's node tree
// of the first document, and whether there is exactly one.
func generalParse(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	var second yaml.Node
	if err := dec.Decode(&second); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("a second document (%v)", err)
	}
	if len(doc.Content) != 1 {
		return nil, errors.New("no document")
	}
	return doc.Content[0], nil
}

// treeDifference describes the first difference between two node trees
// in what the decoder reads (kind, style, tag, value, anchor, alias,
// position, children), or "" when there is none.
func treeDifference(got, want *yaml.Node, path string) string {
	type view struct {
		Kind      yaml.Kind
		Style     yaml.Style
		Tag       string
		Value     string
		Anchor    string
		Alias     bool
		Line, Col int
		Children  int
	}
	of := func(n *yaml.Node) view {
		return view{n.Kind, n.Style, n.Tag, n.Value, n.Anchor, n.Alias != nil, n.Line, n.Column, len(n.Content)}
	}
	if g, w := of(got), of(want); g != w {
		return fmt.Sprintf("%s: quick %+v, yaml.v3 %+v", path, g, w)
	}
	for i := range got.Content {
		if d := treeDifference(got.Content[i], want.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// reusedParser parses every document checkQuickParse sees, one after the
// other (tests of this package do not run in parallel).
var reusedParser = new(quickParser)

// checkQuickParse holds quickParse to yaml.v3 on data: when it reads the
// document, yaml.v3 reads it too, to the same tree. It reports whether the
// quick parser read it.
func checkQuickParse(t *testing.T, data []byte) bool {
	t.Helper()
	got, ok := quickParse(data)
	// A parser that read other documents before (as the pooled ones do)
	// reads this one alike.
	again, okAgain := reusedParser.parse(data)
	if okAgain != ok || ok && treeDifference(again, got, "") != "" {
		t.Fatalf("a reused parser reads %q differently (read: %v, fresh: %v): %s", data, okAgain, ok, treeDifference(again, got, ""))
	}
	if !ok {
		return false
	}
	want, err := generalParse(data)
	if err != nil {
		t.Fatalf("quickParse read %q, yaml.v3 refuses it: %v", data, err)
	}
	if d := treeDifference(got, want, ""); d != "" {
		t.Fatalf("quickParse and yaml.v3 disagree on %q: %s", data, d)
	}
	return true
}

// quickCases are documents at the edges of what quickParse reads; quick
// says whether it must read them (false: it must leave them to yaml.v3).
var quickCases = []struct {
	name  string
	doc   string
	quick bool
}{
	{"valid", valid, true},
	{"comments and blank lines", "# a comment\n\nid: PSF-2024-9\n  # indented comment\n\ntitle: x\n# end\n", true},
	{"indentless sequence", "branches:\n- branch: main\n  fixed: abc\n- branch: \"3.12\"\ntitle: t\n", true},
	{"nested mapping", "python:\n  repo: https://x\n  branches:\n    main: bugfix\n    rel: security\nother: y\n", true},
	{"sequence of scalars", "components:\n  - tarfile\n  - \"3.12\"\n  -   spaced\n", true},
	{"flow sequence", "aliases: [CVE-2024-1,CVE-2024-2 ,  GHSA-x ]  \n", true},
	{"literal", "description: |\n  one\n\n    two, indented\n  three\n\n\nnext: x\n", true},
	{"literal at the end", "description: |\n  one\n  # not a comment\n", true},
	{"literal in a sequence", "notes:\n  - |\n    a\n    b\n  - c\n", true},
	{"quoted", "a: \"x y\"  \nb: 'it is'\nc: \"\"\nd: ''\n", true},
	{"non-ASCII", "name: Łukasz Langa\nlist: [Ærø, ü]\n", true},
	{"text-like plain values", "a: yes\nb: on\nc: 3rd\nd: 12ab\ne: Null-ish\nf: <x>\ng: ~x\nh: 1.2.3a\n", true},
	{"URL with a fragment", "url: https://x.org/a#b\n", true},
	{"colon inside", "a: b:c\nb: 12:30h\n", true},
	{"number", "a: 12\n", false},
	{"float", "a: 3.10\n", false},
	{"exponent", "a: 12e45\n", false},
	{"hex", "a: 0x1f\n", false},
	{"binary", "a: 0b101\n", false},
	{"date", "a: 2024-01-01\n", false},
	{"timestamp", "a: 2024-01-01T00:00:00Z\n", false},
	{"boolean", "a: true\n", false},
	{"null", "a: ~\n", false},
	{"empty value", "a:\nb: x\n", false},
	{"merge key", "<<: x\n", false},
	{"signed", "a: -1\n", false},
	{"dot", "a: .inf\n", false},
	{"trailing comment", "a: b # c\n", false},
	{"multi-line plain", "a: b\n  c\n", false},
	{"multi-line quoted", "a: \"b\n  c\"\n", false},
	{"escape", "a: \"b\\u202e\"\n", false},
	{"doubled quote", "a: 'it''s'\n", false},
	{"anchor", "a: &x b\n", false},
	{"alias", "a: *x\n", false},
	{"tag", "a: !!str b\n", false},
	{"flow mapping", "a: {b: c}\n", false},
	{"empty flow sequence", "a: []\n", false},
	{"nested flow sequence", "a: [[b]]\n", false},
	{"quoted flow item", "a: [\"b\"]\n", false},
	{"folded", "a: >\n  b\n", false},
	{"chomping", "a: |-\n  b\n", false},
	{"indentation indicator", "a: |2\n  b\n", false},
	{"literal with a leading blank line", "a: |\n\n  b\n", false},
	{"literal not indented", "a: |\nb: c\n", false},
	{"document start", "---\na: b\n", false},
	{"second document", "a: b\n---\nc: d\n", false},
	{"document end", "a: b\n...\n", false},
	{"directive", "%YAML 1.2\n---\na: b\n", false},
	{"tab", "a:\tb\n", false},
	{"CRLF", "a: b\r\n", false},
	{"no final newline", "a: b", false},
	{"quoted key", "\"a\": b\n", false},
	{"explicit key", "? a\n: b\n", false},
	{"key with a dot", "3.12: b\n", false},
	{"top-level scalar", "just text\n", false},
	{"comments only", "# nothing\n", false},
	{"empty", "", false},
	{"indented top level", "  a: b\n", false},
	{"over-indented key", "a: b\n  c: d\n", false},
	{"sequence entry on its own line", "a:\n  -\n    b\n", false},
	{"line separator", "a: b\u2028c\n", false},
	{"C1 control", "a: b\u0085c\n", false},
	{"BOM", "\uFEFFa: b\n", false},
	{"invalid UTF-8", "a: b\xffc\n", false},
}

// TestQuickParseAgrees: on every edge case, every shipped source and every
// source of a generated database, quickParse builds yaml.v3's tree or
// leaves the file to it, and it reads what it is meant to read.
func TestQuickParseAgrees(t *testing.T) {
	for _, tc := range quickCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkQuickParse(t, []byte(tc.doc)); got != tc.quick {
				t.Errorf("quickParse read it: %v, want %v", got, tc.quick)
			}
		})
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "advisories", "*", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped sources: %v", err)
	}
	quick := 0
	for _, f := range append(files, filepath.Join("..", "..", "advisories", ProductsFile)) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if checkQuickParse(t, data) {
			quick++
		}
	}
	t.Logf("quickParse read %d of %d shipped files", quick, len(files)+1)
}

// TestQuickParseBadInput: every bad-input document of TestLoadBadInput is
// read alike (or left to yaml.v3).
func TestQuickParseBadInput(t *testing.T) {
	for _, tc := range badInputCases() {
		checkQuickParse(t, []byte(tc.doc))
	}
}

// FuzzQuickParse: whatever the input, a tree quickParse builds is the one
// yaml.v3 builds.
func FuzzQuickParse(f *testing.F) {
	for _, tc := range quickCases {
		f.Add([]byte(tc.doc))
	}
	f.Add([]byte(strings.Replace(valid, "  - branch: main\n", "  - branch: main\n    introduced: \"0\"\n", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkQuickParse(t, data)
	})
}

// quickPieces are what TestQuickParseRandomDocuments builds lines of.
var (
	quickIndents = []string{"", "", "", " ", "  ", "  ", "   ", "    ", "    ", "      "}
	quickKeys    = []string{"id", "title", "branches", "fixed", "a", "on", "no", "t-x", "_k", "n1", "y"}
	quickValues  = []string{
		"x", "low", "yes", "Null", "null", "true", "~", "12", "3.12", "12ab", "1e5", "0o7", "0b1", "0x1", "12:30h", "2024-01-01",
		"391e5626e3ee5af267b97e37abc7475732e67621", "\"q\"", "\"q\"  ", "\"a\\nb\"", "'s'", "'it''s'", "\"\"", "''", "\"open",
		"[a, b]", "[a,b ]", "[a]", "[]", "[a,]", "[a, [b]]", "[\"a\"]", "[a: b]", "[a #b]", "{a: b}", "x # c", "a:b", "a: b", "x:",
		"ü", "Łukasz", "https://x.org/a#b", "-x", "- x", "?x", ":x", "@x", "`x", "%x", "&a x", "*a", "!t x", "!!str x",
		"|", "|-", "|+", "|2", ">", "| # c", "<<", "<x>", "+1", ".5", "-.inf", "a  b", "a\tb",
	}
)

// quickTexts are values quickParse reads.
var quickTexts = []string{
	"x", "low", "yes", "12ab", "Łukasz Langa", "https://x.org/a#b", "\"q\"", "'s'", "[a, b]", "[CVE-1, GHSA-2 ]", "a:b",
	"391e5626e3ee5af267b97e37abc7475732e67621", "a  b", "\"\"", "'# not a comment'", "\"it's\"",
}

// randomLine is one line of a random document: a key and a value, a key
// alone, a sequence entry, a comment, a blank or a text line.
func randomLine(r *rand.Rand) string {
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	indent := pick(quickIndents)
	switch r.IntN(9) {
	case 0, 1, 2:
		return indent + pick(quickKeys) + ": " + pick(quickValues)
	case 3:
		return indent + pick(quickKeys) + ":"
	case 4:
		return indent + "- " + pick(quickValues)
	case 5:
		return indent + "- " + pick(quickKeys) + ": " + pick(quickValues)
	case 6:
		return indent + "# " + pick(quickValues)
	case 7:
		return strings.Repeat(" ", r.IntN(5))
	}
	return indent + pick(quickValues) + " " + pick(quickValues)
}

// TestQuickParseRandomDocuments holds quickParse to yaml.v3 on documents
// put together from the pieces YAML gets subtle about (indentation,
// sequences, literal blocks, comments, scalars that read as other types),
// a seeded run of many, valid or not.
func TestQuickParseRandomDocuments(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 1))
	n, quick := 20000, 0
	if testing.Short() {
		n = 2000
	}
	for range n {
		lines := make([]string, 1+r.IntN(10))
		for i := range lines {
			lines[i] = randomLine(r)
		}
		if checkQuickParse(t, []byte(strings.Join(lines, "\n")+"\n")) {
			quick++
		}
	}
	if quick < n/100 {
		t.Errorf("quickParse read %d of %d documents; the test reaches too little of it", quick, n)
	}
	t.Logf("quickParse read %d of %d documents", quick, n)
}

// treeWriter renders random block documents: mappings, sequences (indented
// or not), literal blocks with blank and more-indented lines, comments and
// blank lines at any indentation, scalars from quickValues.
type treeWriter struct {
	r *rand.Rand
	b strings.Builder
}

func (w *treeWriter) pick(s []string) string { return s[w.r.IntN(len(s))] }

// scalar picks a value, most often one that reads as text.
func (w *treeWriter) scalar() string {
	if w.r.IntN(4) > 0 {
		return w.pick(quickTexts)
	}
	return w.pick(quickValues)
}

// noise writes, now and then, a blank line or a comment at any
// indentation.
func (w *treeWriter) noise() {
	switch w.r.IntN(8) {
	case 0:
		w.b.WriteString(strings.Repeat(" ", w.r.IntN(7)) + "\n")
	case 1:
		w.b.WriteString(strings.Repeat(" ", w.r.IntN(7)) + "# " + w.pick(quickValues) + "\n")
	}
}

func (w *treeWriter) mapping(indent, depth int) {
	for i := range 1 + w.r.IntN(4) {
		if i > 0 {
			w.b.WriteString(strings.Repeat(" ", indent))
		}
		w.b.WriteString(w.pick(quickKeys) + ":")
		w.value(indent, depth)
		w.noise()
	}
}

func (w *treeWriter) sequence(indent, depth int) {
	for i := range 1 + w.r.IntN(3) {
		if i > 0 {
			w.b.WriteString(strings.Repeat(" ", indent))
		}
		w.b.WriteString("-" + strings.Repeat(" ", 1+w.r.IntN(2)))
		if depth < 3 && w.r.IntN(2) == 0 {
			w.mapping(indent+2, depth+1) // "- key: value": the mapping's column is after the dash
		} else {
			w.b.WriteString(w.scalar() + "\n")
		}
		w.noise()
	}
}

// value writes what follows a key's colon.
func (w *treeWriter) value(indent, depth int) {
	switch k := w.r.IntN(6); {
	case depth < 3 && k == 0:
		w.b.WriteString("\n")
		w.noise()
		in := indent + 1 + w.r.IntN(3)
		w.b.WriteString(strings.Repeat(" ", in))
		w.mapping(in, depth+1)
	case depth < 3 && k == 1:
		w.b.WriteString("\n")
		in := indent + w.r.IntN(3) // unindented sequences too
		w.b.WriteString(strings.Repeat(" ", in))
		w.sequence(in, depth+1)
	case k == 2:
		w.b.WriteString(" |\n")
		in := indent + 1 + w.r.IntN(3)
		for j := range 1 + w.r.IntN(4) {
			switch {
			case j > 0 && w.r.IntN(4) == 0:
				w.b.WriteString(strings.Repeat(" ", w.r.IntN(in+1)) + "\n")
			case j > 0 && w.r.IntN(4) == 0:
				w.b.WriteString(strings.Repeat(" ", in+1+w.r.IntN(2)) + w.pick(quickValues) + "\n")
			default:
				w.b.WriteString(strings.Repeat(" ", in) + w.scalar() + "\n")
			}
		}
	default:
		w.b.WriteString(" " + w.scalar() + "\n")
	}
}

// TestQuickParseRandomTrees holds quickParse to yaml.v3 on a seeded run of
// random block documents, most of them valid YAML.
func TestQuickParseRandomTrees(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 2))
	n, quick := 20000, 0
	if testing.Short() {
		n = 2000
	}
	for range n {
		w := &treeWriter{r: r}
		w.mapping(0, 0)
		if checkQuickParse(t, []byte(w.b.String())) {
			quick++
		}
	}
	if quick < n/10 {
		t.Errorf("quickParse read %d of %d documents; the test reaches too little of it", quick, n)
	}
	t.Logf("quickParse read %d of %d documents", quick, n)
}

// TestKeySet: a keySet finds every key added, listed or mapped, the first
// of its name, and nothing else.
func TestKeySet(t *testing.T) {
	for _, n := range []int{0, 1, keySetList - 1, keySetList, keySetList + 1, 3 * keySetList} {
		var s keySet
		for i := range n {
			s.add(&yaml.Node{Value: fmt.Sprint("k", i), Line: i + 1})
		}
		for i := range n {
			if got := s.find(fmt.Sprint("k", i)); got == nil || got.Line != i+1 {
				t.Errorf("%d keys: find(k%d) = %v", n, i, got)
			}
		}
		if got := s.find("k-missing"); got != nil {
			t.Errorf("%d keys: find(k-missing) = %v", n, got)
		}
	}
}

// TestRuneOffsetCursor: counting on from the last call gives what counting
// from the line's start gives, in any order of calls and lines.
func TestRuneOffsetCursor(t *testing.T) {
	src := []byte("ab\xffü: x, é: y\n{a: b, ü: c}\n")
	fresh := func(line []byte, i int) (int, bool) {
		return (&decoder{}).runeOffset(1, line, i)
	}
	d := &decoder{src: src}
	r := rand.New(rand.NewPCG(22, 3))
	for range 2000 {
		n := 1 + r.IntN(3)
		line, _ := d.line(n)
		i := r.IntN(len(line) + 3)
		gotOff, gotOK := d.runeOffset(n, line, i)
		wantOff, wantOK := fresh(line, i)
		if gotOff != wantOff || gotOK != wantOK {
			t.Fatalf("line %d, character %d: %d, %v; from the start: %d, %v", n, i, gotOff, gotOK, wantOff, wantOK)
		}
	}
}
