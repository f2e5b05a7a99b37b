package rule

import (
	"fmt"
	"strings"
)

// Markdown limits: what any lint-clean description or mitigations may hold,
// so that every field renders in milliseconds. Markdown parsers spend time
// in proportion to the nesting depth on every line (one line of 15,000
// list markers took seconds) and to the open link brackets times the
// paragraph's length, and a node for each line, container and delimiter;
// these bounds cut all of them far above what advisories use (real PSRT
// descriptions are under 1.2 KB, nest at most one level and hold no
// bracket). BenchmarkMarkdownWorst in internal/site measures the worst
// shapes that pass.
const (
	// MaxMarkdown caps the description, mitigations and notes in bytes.
	MaxMarkdown = 32 << 10
	// MaxMarkdownNesting bounds nested lists and block quotes.
	MaxMarkdownNesting = 16
	// MaxMarkdownLines bounds the lines of a field: most blocks and breaks
	// are one node per line.
	MaxMarkdownLines = 1024
	// MaxMarkdownDelimiters bounds the emphasis, strikethrough and code
	// delimiters (* _ ~ `) of a field: each may open an inline node.
	MaxMarkdownDelimiters = 1024
	// MaxMarkdownContainers bounds the list items and block-quote markers
	// of a field: each is a node to build, check and sanitize.
	MaxMarkdownContainers = 512
	// MaxMarkdownBrackets bounds the '[' (link and image openers) of a
	// paragraph (text between blank lines).
	MaxMarkdownBrackets = 32
)

// MarkdownProblem says what in a Markdown field breaks the limits, if
// anything, and on which line of the field (1-based; 0 for the field as a
// whole).
func MarkdownProblem(md string) (line int, msg string) {
	if len(md) > MaxMarkdown {
		return 0, fmt.Sprintf("%d bytes, over the %d-byte limit; shorten it", len(md), MaxMarkdown)
	}
	if n := strings.Count(md, "\n") + 1; n > MaxMarkdownLines {
		return 0, fmt.Sprintf("%d lines, over the limit of %d; shorten it", n, MaxMarkdownLines)
	}
	if n := countAny(md, "*_~`"); n > MaxMarkdownDelimiters {
		return 0, fmt.Sprintf("%d emphasis and code marks (* _ ~ `), over the limit of %d; use fewer", n, MaxMarkdownDelimiters)
	}
	brackets, start, containers := 0, 1, 0
	for i, l := range strings.Split(md, "\n") {
		d, markers := nestingBound(l)
		if d > MaxMarkdownNesting {
			return i + 1, fmt.Sprintf("lists or block quotes nested about %d deep on line %d of the text, over the limit of %d; flatten them", d, i+1, MaxMarkdownNesting)
		}
		if containers += markers; containers > MaxMarkdownContainers {
			return i + 1, fmt.Sprintf("over %d list items and block-quote markers by line %d of the text; shorten the lists", MaxMarkdownContainers, i+1)
		}
		if strings.TrimSpace(l) == "" {
			brackets, start = 0, i+2
			continue
		}
		if brackets += strings.Count(l, "["); brackets > MaxMarkdownBrackets {
			return start, fmt.Sprintf("the paragraph from line %d of the text holds over %d '[' (link openers); link fewer places, split the paragraph or move links to references", start, MaxMarkdownBrackets)
		}
	}
	return 0, ""
}

func countAny(s, chars string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(chars, s[i]) >= 0 {
			n++
		}
	}
	return n
}

// nestingBound is an upper bound of how deep the containers (lists, block
// quotes) of a Markdown line nest: the markers that open a container at its
// start (>, -, +, *, 1. or 1)), plus half the columns of indentation before
// them and inside block quotes, since an item nested by indentation sits at
// least two columns inside its parent. (The spaces after a list marker are
// that item's own indentation and count nothing.) markers is the number
// of markers.
func nestingBound(line string) (depth, markers int) {
	cols, counting := 0, true
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			if counting {
				cols += 1 + 3*boolInt(c == '\t')
			}
			i++
		case c == '>':
			markers++
			i++
			if i < len(line) && line[i] == ' ' {
				i++ // the marker's own space
			}
			counting = true
		default:
			n := listMarker(line[i:])
			if n == 0 {
				return markers + cols/2, markers
			}
			markers++
			i += n
			counting = false
		}
	}
	return markers + cols/2, markers
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// listMarker is the length of the list marker at the start of s (-, +, *,
// or up to nine digits and . or ), followed by a space, a tab or the end),
// or 0.
func listMarker(s string) int {
	n := 0
	switch {
	case s[0] == '-' || s[0] == '+' || s[0] == '*':
		n = 1
	default:
		for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 || n == len(s) || (s[n] != '.' && s[n] != ')') {
			return 0
		}
		n++
	}
	if n < len(s) && s[n] != ' ' && s[n] != '\t' {
		return 0
	}
	return n
}
