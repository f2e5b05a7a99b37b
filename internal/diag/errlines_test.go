package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"
)

type refusal struct{ items []string }

func (r *refusal) Error() string {
	return "refused:" + ItemLead + strings.Join(r.items, ItemLead)
}
func (r *refusal) Lines() (string, []string) { return "refused:", r.items }

// wrapped keeps the message and the chain, as the CLI's exit error does.
type wrapped struct{ err error }

func (w *wrapped) Error() string { return w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

// TestWriteErrorLines: the program's own line breaks survive, while a
// value with a newline, a workflow command or an escape sequence never
// starts a line, not even after leading spaces are trimmed.
func TestWriteErrorLines(t *testing.T) {
	forged := "advisories/x\n::error file=x::pwned\x1b[2J.json"
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"plain", errors.New("no such file"), []string{"advisory: no such file"}},
		{"plain with a newline", errors.New("bad " + forged), []string{
			`advisory: bad advisories/x\n::error file=x::pwned\x1b[2J.json`}},
		{"multi-line", &refusal{[]string{"one", "two"}}, []string{
			"advisory: refused:", "  - one", "  - two"}},
		{"multi-line, wrapped without text", &wrapped{&refusal{[]string{"one"}}}, []string{
			"advisory: refused:", "  - one"}},
		{"multi-line with a forged item", &refusal{[]string{forged, "::warning::x", "\n##[error]x"}}, []string{
			"advisory: refused:",
			`  - advisories/x\n::error file=x::pwned\x1b[2J.json`,
			"  - ::warning::x",
			`  - \n##[error]x`}},
		{"multi-line inside added text", fmt.Errorf("run: %w", &refusal{[]string{"one", forged}}), []string{
			`advisory: run: refused:\n  - one\n  - advisories/x\n::error file=x::pwned\x1b[2J.json`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			WriteError(&b, "advisory:", tc.err)
			got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, l := range got {
				lead := strings.TrimLeftFunc(l, unicode.IsSpace)
				if !strings.HasPrefix(l, "advisory: ") && !strings.HasPrefix(l, "  - ") ||
					strings.HasPrefix(lead, "::") || strings.HasPrefix(lead, "##") {
					t.Errorf("line %q does not start with the program's own text", l)
				}
				if strings.ContainsFunc(l, unicode.IsControl) {
					t.Errorf("line %q holds a control character", l)
				}
			}
		})
	}
}
