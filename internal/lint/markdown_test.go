package lint

import (
	"strconv"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// staircase nests list items by indentation, one level per line.
func staircase(levels int) string {
	var b strings.Builder
	for i := 0; i < levels; i++ {
		b.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	return b.String()
}

// TestMarkdownLimits lints descriptions and mitigations at and past the
// Markdown limits: what renders slowly is refused at the field's position,
// what advisories write is accepted.
func TestMarkdownLimits(t *testing.T) {
	tests := []struct {
		name, field, text string
		want              string // "" accepts
	}{
		{"one line of 15000 list markers", "description", strings.Repeat("- ", 15000) + "x", "nested about 15000 deep on line 1"},
		{"15000 block quote markers", "description", strings.Repeat("> ", 15000) + "x", "nested about 15000 deep"},
		{"ordered list markers", "mitigations", strings.Repeat("1. ", 5000) + "x", "nested about 5000 deep"},
		{"quotes and lists", "description", "Intro.\n\n" + strings.Repeat("> - ", 9) + "x", "nested about 18 deep on line 3"},
		{"staircase by indentation", "description", staircase(17), "nested about 17 deep on line 17"},
		{"staircase by tabs", "description", "-\tx\n\t-\tx\n\t\t-\tx\n\t\t\t-\tx\n\t\t\t\t-\tx\n\t\t\t\t\t-\tx\n\t\t\t\t\t\t-\tx\n\t\t\t\t\t\t\t-\tx\n\t\t\t\t\t\t\t\t-\tx\n", "nested about 17 deep on line 9"},
		{"link openers", "description", strings.Repeat("[a](", 33), "the paragraph from line 1 of the text holds over 32 '['"},
		{"link openers, later paragraph", "description", "a\n\n" + strings.Repeat("[a](", 20) + "\n" + strings.Repeat("[a](", 13), "the paragraph from line 3 of the text holds over 32 '['"},
		{"unclosed brackets", "description", strings.Repeat("[", 16000) + strings.Repeat("]", 16000), "holds over 32 '['"},
		{"list items", "description", strings.Repeat("- item\n", 513), "over 512 list items and block-quote markers by line 513"},
		{"lines", "description", strings.Repeat("a\n", 1024), "1025 lines, over the limit of 1024"},
		{"emphasis", "description", strings.Repeat("*a", 1025), "1025 emphasis and code marks"},
		{"code spans", "mitigations", strings.Repeat("`a` ~b~ _c_ ", 171), "1026 emphasis and code marks"},
		{"quoted lines", "mitigations", strings.Repeat("> > a\n", 257), "by line 257"},
		{"size", "mitigations", strings.Repeat("word ", 7000), "35000 bytes, over the 32768-byte limit"},
		{"512 list items", "description", strings.Repeat("- item\n", 512), ""},
		{"16 levels", "description", strings.Repeat("- ", 16) + "x", ""},
		{"staircase of 16", "description", staircase(16), ""},
		{"32 links in each paragraph", "description", strings.Repeat(strings.Repeat("[a](https://example.org/) ", 32)+"\n\n", 30), ""},
		{"thematic breaks and emphasis", "description", "- - -\n\n***\n\n* a *b* **c**\n\n1) one\n2) two\n\n-notalist -x 3.12 [x]", ""},
		{"code", "description", "```\n        deeply indented code\n```\n\n    indented code block\n", ""},
		{"at the size limit", "description", strings.Repeat("a", rule.MaxMarkdown), ""},
		{"1024 lines", "description", strings.Repeat("a\n", 1023) + "a", ""},
		{"1024 marks", "description", strings.Repeat("`a` ", 512), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := markdownAdvisory(t, tt.field, tt.text)
			var got []string
			for _, d := range Advisory(a, Options{}) {
				if d.Rule == "markdown" {
					got = append(got, d.String())
				}
			}
			if tt.want == "" {
				if len(got) > 0 {
					t.Fatalf("refused: %v", got)
				}
				return
			}
			pos := a.Pos.Of(tt.field)
			prefix := a.Path + ":" + strconv.Itoa(pos.Line) + ":" + strconv.Itoa(pos.Col) + ": error: " + tt.field + ": "
			if len(got) != 1 || !strings.HasPrefix(got[0], prefix) || !strings.Contains(got[0], tt.want) {
				t.Fatalf("got %v\nwant one error %s...%s...", got, prefix, tt.want)
			}
		})
	}
}

// markdownAdvisory parses an advisory whose field (description or
// mitigations) holds text, written as a double-quoted YAML scalar.
func markdownAdvisory(t *testing.T, field, text string) *advisory.Advisory {
	t.Helper()
	quoted := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`).Replace(text) + `"`
	src := "id: PSF-2024-9\npublished: \"2024-08-19T19:06:45Z\"\ntitle: T\nseverity: low\n"
	if field == "description" {
		src += "description: " + quoted + "\n"
	} else {
		src += "description: x\nmitigations: " + quoted + "\n"
	}
	src += "introduced: \"0\"\n"
	a, ds := advisory.Parse("advisories/python/PSF-2024-9.yaml", "python", []byte(src))
	if a == nil {
		t.Fatalf("does not load: %v", ds)
	}
	return a
}

// FuzzMarkdownProblem: any text is judged without panicking, a problem's
// line is inside the text, and appending a newline never cures a problem
// (the limits only grow with the text).
// Run: go test ./internal/lint -run '^$' -fuzz FuzzMarkdownProblem -fuzztime 60s
func FuzzMarkdownProblem(f *testing.F) {
	for _, s := range []string{"", "- - - x", "> > x", staircase(20), "[[[", "1.\t- x", "\t\t- x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line, msg := rule.MarkdownProblem(s)
		if msg == "" {
			return
		}
		if line < 0 || line > strings.Count(s, "\n")+1 {
			t.Fatalf("line %d outside the text (%q)", line, msg)
		}
		if _, again := rule.MarkdownProblem(s + "\n"); again == "" {
			t.Fatalf("a trailing newline cured %q", msg)
		}
	})
}
