package site

import (
	"strings"
	"syscall"
	"testing"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// fill repeats unit up to n bytes.
func fill(unit string, n int) string {
	return strings.Repeat(unit, n/len(unit))
}

// worstMarkdown are the slowest shapes found for Markdown that lint accepts,
// each at the limits: nesting at the limit, the most containers, link
// openers and delimiters, the most lines, and the rest of the size filled
// with lines as long as the line limit allows.
func worstMarkdown() map[string]string {
	const n = rule.MaxMarkdown
	lines := rule.MaxMarkdownLines - 1 // the last line has no newline
	rest := func(used, count int) string {
		width := (n - used) / count
		return fill(strings.Repeat("y", width-1)+"\n", width*count)
	}
	per := rule.MaxMarkdownContainers / rule.MaxMarkdownNesting
	deep := strings.Repeat(strings.Repeat("- ", rule.MaxMarkdownNesting)+"x\n", per)
	quotes := strings.Repeat(strings.Repeat("> ", rule.MaxMarkdownNesting)+"x\n", per)
	items := strings.Repeat("- x\n", rule.MaxMarkdownContainers)
	var stair strings.Builder
	for i := range rule.MaxMarkdownNesting {
		stair.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	opens := strings.Repeat("[", rule.MaxMarkdownBrackets)
	links := strings.Repeat("[a](", rule.MaxMarkdownBrackets)
	marks := func(unit string) string { // unit holds one delimiter
		m := strings.Repeat(unit, rule.MaxMarkdownDelimiters) + "\n"
		return m + rest(len(m), lines-1)
	}
	return map[string]string{
		"nested-lists":  deep + rest(len(deep), lines-per),
		"nested-quotes": quotes + rest(len(quotes), lines-per),
		"staircase":     stair.String() + rest(stair.Len(), lines-rule.MaxMarkdownNesting),
		"list-items":    items + rest(len(items), lines-rule.MaxMarkdownContainers),
		"open-brackets": opens + fill("y", n-2*len(opens)) + strings.Repeat("]", rule.MaxMarkdownBrackets),
		"open-links":    links + fill("y", n-len(links)),
		"emphasis":      marks("*a"),
		"strikethrough": marks("~a"),
		"code-spans":    marks("`a"),
		"table-rows":    "|a|b|\n|-|-|\n" + tableRows(n-12, lines-2),
		"setext":        fill("a\n=\n", 2*lines) + "a\n=",
		"short-lines":   fill("x\n", 2*lines) + "y",
	}
}

// tableRows makes rows of two cells filling size bytes in the given lines.
func tableRows(size, lines int) string {
	width := size / lines
	return fill("|"+strings.Repeat("x", width-5)+"|y|\n", width*lines)
}

// prose is the baseline: an ordinary description of the largest size.
var prose = fill("Parsing a cookie with many backslashes takes quadratic time in `http.cookies`; see [the issue](https://github.com/python/cpython/issues/123067).\n\n", rule.MaxMarkdown)

// BenchmarkMarkdownWorst renders the worst lint-clean Markdown shapes next
// to ordinary prose of the same size, and (as "refused/...") the input of
// issue 10 that lint now refuses, for scale:
//
//	go test ./internal/site -run '^$' -bench MarkdownWorst
func BenchmarkMarkdownWorst(b *testing.B) {
	cases := worstMarkdown()
	cases["prose"] = prose
	cases["refused/one-line-of-15000-list-markers"] = strings.Repeat("- ", 15000) + "x"
	for name, src := range cases {
		_, problem := rule.MarkdownProblem(src)
		if refused := strings.HasPrefix(name, "refused/"); refused == (problem == "") {
			b.Fatalf("%s: lint says %q", name, problem)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			before := cpuTime()
			for b.Loop() {
				renderMarkdown(src)
			}
			b.ReportMetric(float64(cpuTime()-before)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user and system CPU time in nanoseconds: on a
// shared machine it shows the work done where wall time shows the wait.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// TestWorstMarkdownIsLintClean keeps the benchmark honest: every shape it
// measures is accepted by lint and is close to the size or the line limit.
func TestWorstMarkdownIsLintClean(t *testing.T) {
	for name, src := range worstMarkdown() {
		if _, problem := rule.MarkdownProblem(src); problem != "" {
			t.Errorf("%s: %s", name, problem)
		}
		if len(src) < rule.MaxMarkdown*9/10 && strings.Count(src, "\n") < rule.MaxMarkdownLines-1 {
			t.Errorf("%s: %d bytes in %d lines, far below the limits", name, len(src), strings.Count(src, "\n")+1)
		}
	}
}
