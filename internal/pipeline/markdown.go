package pipeline

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// md writes Markdown.
type md struct{ w io.Writer }

func (m *md) line(s string) { fmt.Fprintln(m.w, s) }

func (m *md) para(s string) { fmt.Fprintf(m.w, "%s\n\n", s) }

// row writes a table row; every cell is escaped.
func (m *md) row(cells ...string) {
	for i, c := range cells {
		if c != "---" {
			cells[i] = cell(c)
		}
	}
	fmt.Fprintf(m.w, "| %s |\n", strings.Join(cells, " | "))
}

// list writes "- name: a, b" (or none).
func (m *md) list(name string, items []string) {
	if len(items) == 0 {
		fmt.Fprintf(m.w, "- %s: none\n", name)
		return
	}
	fmt.Fprintf(m.w, "- %s: %s\n", name, strings.Join(items, "; "))
}

// details writes a collapsed block holding text in a code fence longer
// than any run of backticks in it, so the text cannot end the fence.
func (m *md) details(summary, lang, text string) {
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	fmt.Fprintf(m.w, "<details><summary>%s</summary>\n\n%s%s\n%s\n%s\n\n</details>\n\n", cell(summary), fence, lang, strings.TrimRight(text, "\n"), fence)
}

// cell makes s safe inside a table cell or a line of prose: no line
// breaks, no pipes, no HTML or Markdown markup.
func cell(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ", "|", "\\|", "<", "&lt;", ">", "&gt;", "&", "&amp;",
		"`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]").Replace(s)
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
