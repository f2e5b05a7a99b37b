package advisory

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

// valid is a complete advisory; the bad-input cases edit it.
const valid = `id: PSF-2024-9
aliases: [CVE-2024-7592]
published: "2024-08-19T19:06:45Z"
title: Quadratic complexity parsing quoted cookie values
severity: low
description: |
  Parsing a cookie with many backslashes takes quadratic time.
introduced: "0"
branches:
  - branch: main
    fixed: 391e5626e3ee5af267b97e37abc7475732e67621
references:
  - type: REPORT
    url: https://github.com/python/cpython/issues/123067
`

// TestLoadHexLikeCommit: a commit hash that merely starts like a binary or
// octal literal (0b5..., 0o...) is text and needs no quotes.
func TestLoadHexLikeCommit(t *testing.T) {
	for _, commit := range []string{"0b504d3af656617a50472bad76001dff4e638e6b", "97962e845927711e922130327117573154e44557"} {
		doc := strings.Replace(valid, "391e5626e3ee5af267b97e37abc7475732e67621", commit, 1)
		if a, ds := Parse("advisories/python/PSF-2024-9.yaml", "python", []byte(doc)); a == nil {
			t.Errorf("%s refused: %v", commit, ds)
		}
	}
}

func TestLoadValid(t *testing.T) {
	a, ds := Parse("advisories/python/PSF-2024-9.yaml", "python", []byte(valid))
	if ds.HasErrors() || a == nil {
		t.Fatalf("valid advisory refused: %v", ds)
	}
	if a.Branches[0].Fixed != "391e5626e3ee5af267b97e37abc7475732e67621" || a.Introduced != "0" {
		t.Errorf("decoded %+v", a)
	}
	if p := a.Pos.Of("branches[0].fixed"); p != (Position{11, 12}) {
		t.Errorf("position of branches[0].fixed = %v, want 11:12", p)
	}
}

// TestLoadBadInput covers every bad-input class of the untrusted-input
// rules: each must be refused at the right line and column.
func TestLoadBadInput(t *testing.T) {
	for _, tt := range badInputCases() {
		t.Run(tt.name, func(t *testing.T) {
			path := "advisories/python/PSF-2024-9.yaml"
			a, ds := Parse(path, "python", []byte(tt.doc))
			if a != nil || !ds.HasErrors() {
				t.Fatalf("accepted; diagnostics %v", ds)
			}
			d := ds[0]
			if d.File != path || d.Line != tt.line || d.Col != tt.col || !strings.Contains(d.Message, tt.msg) {
				t.Errorf("got %s\nwant %s:%d:%d: ...%s...", d, path, tt.line, tt.col, tt.msg)
			}
		})
	}
}

// badInputCase is a document with the first diagnostic it must get.
type badInputCase struct {
	name      string
	doc       string
	line, col int
	msg       string
}

// badInputCases are the documents of TestLoadBadInput.
func badInputCases() []badInputCase {
	return []badInputCase{
		{"anchor", strings.Replace(valid, "aliases: [", "aliases: &a [", 1), 2, 10, "anchors are not allowed"},
		{"alias", valid + "notes: *a\n", 1, 1, "invalid YAML"}, // an undefined alias is a parse error
		{"alias defined", strings.Replace(valid, "aliases: [CVE-2024-7592]", "aliases: &x [CVE-2024-7592]\ncwes: *x", 1), 2, 10, "anchors are not allowed"},
		{"merge key", strings.Replace(valid, "  - branch: main\n", "  - <<: {branch: main}\n", 1), 10, 5, "merge key"},
		{"explicit tag", strings.Replace(valid, "title: Quadratic", "title: !!str Quadratic", 1), 4, 8, "explicit tag"},
		{"custom tag", strings.Replace(valid, "severity: low", "severity: !evil low", 1), 5, 11, "explicit tag"},
		{"second document", valid + "---\nid: PSF-2024-10\n", 15, 1, "second YAML document"},
		{"duplicate key", valid + "title: again\n", 15, 1, `duplicate key "title"`},
		{"unknown field", valid + "titel: x\n", 15, 1, `unknown field "titel"; did you mean "title"?`},
		{"unknown nested field", strings.Replace(valid, "    fixed: 391e", "    fix: 391e", 1), 11, 5, `unknown field "fix" in branches[0]`},
		{"invalid UTF-8", strings.Replace(valid, "Quadratic", "Quadr\xffatic", 1), 4, 13, "invalid UTF-8"},
		{"BOM", "\uFEFF" + valid, 1, 1, "byte order mark"},
		{"NUL", strings.Replace(valid, "Quadratic", "Quad\x00ratic", 1), 4, 12, "NUL"},
		{"control", strings.Replace(valid, "Quadratic", "Quad\x1bratic", 1), 4, 12, "control character U+001B"},
		// Lines end in LF, CRLF or a lone CR (YAML's line breaks): positions
		// count all three, the same way the YAML parser does.
		{"control, CR-only lines", strings.ReplaceAll(strings.Replace(valid, "Quadratic", "Quad\x1bratic", 1), "\n", "\r"), 4, 12, "control character U+001B"},
		{"control, CRLF lines", strings.ReplaceAll(strings.Replace(valid, "Quadratic", "Quad\x1bratic", 1), "\n", "\r\n"), 4, 12, "control character U+001B"},
		{"control, mixed lines", strings.Replace(strings.Replace(valid, "Quadratic", "Quad\x1bratic", 1), "\n", "\r", 2), 4, 12, "control character U+001B"},
		{"unknown field, CR-only lines", strings.ReplaceAll(valid+"titel: x\n", "\n", "\r"), 15, 1, `unknown field "titel"`},
		{"C1 control", strings.Replace(valid, "Quadratic", "Quad\u0085ratic", 1), 4, 12, "control character U+0085"},
		{"bidi", strings.Replace(valid, "Parsing a", "Parsing \u202Ea", 1), 7, 11, "bidirectional"},
		{"bidi isolate", strings.Replace(valid, "Parsing a", "Parsing \u2067a", 1), 7, 11, "bidirectional"},
		{"zero width", strings.Replace(valid, "Quadratic", "Quad\u200Bratic", 1), 4, 12, "zero-width"},
		{"zero width joiner", strings.Replace(valid, "Quadratic", "Quad\u200Dratic", 1), 4, 12, "zero-width"},
		{"unquoted decimal", strings.Replace(valid, "branch: main", "branch: 3.10", 1), 10, 13, `quote this value (3.10 reads as a decimal number`},
		{"unquoted exponent", strings.Replace(valid, "severity: low", "severity: 1e5", 1), 5, 11, "quote this value"},
		{"unquoted sexagesimal", strings.Replace(valid, "severity: low", "severity: 1:20", 1), 5, 11, "quote this value"},
		{"unquoted version", strings.Replace(valid, "severity: low", "severity: 3.12.4", 1), 5, 11, "quote this value"},
		{"unquoted infinity", strings.Replace(valid, "severity: low", "severity: .inf", 1), 5, 11, "quote this value"},
		{"unquoted binary", strings.Replace(valid, "severity: low", "severity: 0b101", 1), 5, 11, "quote this value"},
		{"unquoted hex", strings.Replace(valid, "severity: low", "severity: 0x1F", 1), 5, 11, "quote this value"},
		{"unquoted octal", strings.Replace(valid, `introduced: "0"`, "introduced: 0777", 1), 8, 13, "quote this value"},
		{"unquoted zero", strings.Replace(valid, `introduced: "0"`, "introduced: 0", 1), 8, 13, "quote this value (0 reads as a number"},
		{"unquoted date", strings.Replace(valid, `published: "2024-08-19T19:06:45Z"`, "published: 2024-08-19", 1), 3, 12, "quote this value (2024-08-19 reads as a date"},
		{"unquoted tilde", strings.Replace(valid, "severity: low", "severity: ~", 1), 5, 11, "quote this value"},
		{"unquoted yes", strings.Replace(valid, "severity: low", "severity: yes", 1), 5, 11, "quote this value"},
		{"unquoted on", strings.Replace(valid, "severity: low", "severity: on", 1), 5, 11, "quote this value"},
		{"empty value", strings.Replace(valid, "severity: low", "severity:", 1), 5, 10, "empty value"},
		{"empty event", strings.Replace(valid, "    fixed: 391e5626e3ee5af267b97e37abc7475732e67621\n", "", 1), 10, 5, "empty branch entry"},
		{"two-key event", strings.Replace(valid, "    fixed: 391e5626e3ee5af267b97e37abc7475732e67621\n", "    fixed: 391e5626e3ee5af267b97e37abc7475732e67621\n    last_affected: abcdef0000000000000000000000000000000001\n", 1), 10, 5, "fixed together with last_affected"},
		{"missing introduced", strings.Replace(valid, "introduced: \"0\"\n", "", 1), 1, 1, `missing "introduced"`},
		{"missing title", strings.Replace(valid, "title: Quadratic complexity parsing quoted cookie values\n", "", 1), 1, 1, `missing required field "title"`},
		{"id not file name", strings.Replace(valid, "id: PSF-2024-9", "id: PSF-2024-10", 1), 1, 5, "does not match the file name"},
		{"id traversal", strings.Replace(valid, "id: PSF-2024-9", "id: ../../etc/passwd", 1), 1, 5, "may only hold letters, digits and dashes"},
		{"list for text", strings.Replace(valid, "severity: low", "severity: [low]", 1), 5, 11, "expected text"},
		{"mapping for list", strings.Replace(valid, "aliases: [CVE-2024-7592]", "aliases: {a: b}", 1), 2, 10, "expected a list"},
		{"empty list", strings.Replace(valid, "aliases: [CVE-2024-7592]", "aliases: []", 1), 2, 10, "empty list"},
		{"scalar document", "just text\n", 1, 1, "expected a mapping"},
		{"empty file", "", 1, 1, "the file is empty"},
		{"syntax error", "id: [unclosed\n", 1, 1, "invalid YAML"},
		{"tab indentation", strings.Replace(valid, "  - branch: main", "\t- branch: main", 1), 10, 1, "invalid YAML"},
		{"oversized", valid + "notes: |\n" + strings.Repeat("  filler text\n", MaxFileSize/14+1), 1, 1, "over the 262144-byte limit"},
		{"line separator", strings.Replace(valid, "Quadratic", "Quad\u2028ratic", 1), 4, 12, "line or paragraph separator"},
		// Issue 20 item 12: a field name is written plain, a number as people
		// write it.
		{"double-quoted field name", strings.Replace(valid, "title:", `"title":`, 1), 4, 1, `field name "title" is quoted`},
		{"single-quoted field name", strings.Replace(valid, "title:", `'title':`, 1), 4, 1, `field name "title" is quoted`},
		{"escaped field name", strings.Replace(valid, "title:", `"ti\x74le":`, 1), 4, 1, "backslash escape"},
		{"explicit key", strings.Replace(valid, "title: Quadratic", "? title\n: Quadratic", 1), 4, 3, "explicit key (? title)"},
		{"explicit key in a list item", strings.Replace(valid, "  - branch: main", "  - ? branch\n    : main", 1), 10, 7, "explicit key"},
		{"explicit key in flow", strings.Replace(valid, "  - branch: main\n    fixed: 391e5626e3ee5af267b97e37abc7475732e67621", "  - {? branch : main, fixed: 391e5626e3ee5af267b97e37abc7475732e67621}", 1), 10, 8, "explicit key"},
		{"octal-looking pr", strings.Replace(valid, "    fixed: 391e", "    pr: 0777\n    fixed: 391e", 1), 11, 9, "without sign or leading zero"},
		{"signed pr", strings.Replace(valid, "    fixed: 391e", "    pr: +5\n    fixed: 391e", 1), 11, 9, "without sign or leading zero"},
		{"zero-padded pr", strings.Replace(valid, "    fixed: 391e", "    pr: 00012\n    fixed: 391e", 1), 11, 9, "without sign or leading zero"},
	}
}

// TestLoadFileKinds refuses symlinks and non-regular files, and places the
// file in its product from the directory.
func TestLoadFileKinds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "advisories", "python")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(dir, "PSF-2024-9.yaml")
	if err := os.WriteFile(real, []byte(valid), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "PSF-2024-10.yaml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "PSF-2024-11.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if a, ds := LoadFile(real, "python"); a == nil || a.Product != "python" {
		t.Fatalf("regular file refused: %v", ds)
	}
	for path, want := range map[string]string{link: "symbolic link", fifo: "not a regular file", filepath.Join(dir, "missing.yaml"): "cannot read"} {
		a, ds := LoadFile(path, "python")
		if a != nil || len(ds) != 1 || !strings.Contains(ds[0].Message, want) || ds[0].File != path || ds[0].Line != 1 {
			t.Errorf("%s: got %v, want %q at 1:1", path, ds, want)
		}
	}
}

// TestFactsRoundTrip: release facts load with positions and come back
// through Marshal unchanged, quoted where YAML would read a number.
func TestFactsRoundTrip(t *testing.T) {
	src := `id: PSF-2024-9
published: "2024-08-19T19:06:45Z"
title: t
description: d
introduced: "0"
branches:
  - branch: "3.12"
    fixed: a77ab24427a18bff817025adb03ca920dc3f1a06
    first_affected: "3.12.0"
    fixed_in: "3.12.6"
  - branch: "3.13"
    first_affected: 3.13.0a1
    last_affected_in: 3.13.0rc1
  - branch: "3.7"
    status: not-affected
`
	a, ds := Parse("advisories/python/PSF-2024-9.yaml", "python", []byte(src))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	b := a.Branches
	if b[0].FixedIn != "3.12.6" || b[1].LastAffectedIn != "3.13.0rc1" || b[2].Status != "not-affected" || b[1].HasCommit() || !b[0].HasFacts() {
		t.Fatalf("branches = %+v", b)
	}
	if p := a.Pos.Of("branches[0].fixed_in"); p != (Position{10, 15}) {
		t.Errorf("fixed_in at %v, want 10:15", p)
	}
	out, err := Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `fixed_in: "3.12.6"`) || !strings.Contains(string(out), "status: not-affected") {
		t.Errorf("Marshal lost or unquoted a fact:\n%s", out)
	}
	again, ds := Parse("advisories/python/PSF-2024-9.yaml", "python", out)
	if len(ds) > 0 || !reflect.DeepEqual(again.Branches, a.Branches) {
		t.Errorf("round trip: %v %+v", ds, again.Branches)
	}
}

func TestSplitLines(t *testing.T) {
	for in, want := range map[string]string{
		"":               "",
		"a":              "a",
		"a\nb":           "a\n|b",
		"a\r\nb\rc\n\nd": "a\r\n|b\r|c\n|\n|d",
		"\r\r\n\n":       "\r|\r\n|\n",
	} {
		if got := strings.Join(SplitLines(in), "|"); got != want {
			t.Errorf("SplitLines(%q) = %q, want %q", in, got, want)
		}
	}
}
