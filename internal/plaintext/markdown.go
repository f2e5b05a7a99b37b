package plaintext

import (
	"regexp"
	"strings"
)

// block kinds
const (
	para = iota
	item
	code
	heading
	quote
)

type block struct {
	kind   int
	marker string // list marker ("-", "1.")
	lines  []string
	tight  bool // a list item right after another, with no blank line

}

var (
	itemStart  = regexp.MustCompile(`^\s{0,3}([-*+]|[0-9]{1,9}[.)])\s+(.*)$`)
	headStart  = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	quoteStart = regexp.MustCompile(`^\s{0,3}>\s?(.*)$`)
	fence      = regexp.MustCompile("^\\s{0,3}(```|~~~)")
)

// Markdown renders Markdown as plain text wrapped at width (0: one line per
// paragraph). Blocks are separated by one blank line; the result has no
// trailing newline.
func Markdown(md string, width int) string {
	var sb strings.Builder
	for i, b := range blocks(strings.ReplaceAll(md, "\r\n", "\n")) {
		switch {
		case i > 0 && b.tight:
			sb.WriteString("\n")
		case i > 0:
			sb.WriteString("\n\n")
		}
		sb.WriteString(render(b, width))
	}
	return sb.String()
}

func render(b block, width int) string {
	switch b.kind {
	case code:
		lines := make([]string, len(b.lines))
		for i, l := range b.lines {
			lines[i] = strings.TrimRight("    "+l, " ")
		}
		return strings.Join(lines, "\n")
	case item:
		hang := strings.Repeat(" ", len(b.marker)+1)
		return strings.Join(Wrap(Inline(strings.Join(b.lines, " ")), width, b.marker+" ", hang), "\n")
	case quote:
		return strings.Join(Wrap(Inline(strings.Join(b.lines, " ")), width, "> ", "> "), "\n")
	}
	return strings.Join(Wrap(Inline(strings.Join(b.lines, " ")), width, "", ""), "\n")
}

// blocks splits Markdown into paragraphs, list items, headings, quotes and
// code blocks (fenced or indented).
func blocks(md string) []block {
	var bs []block
	var cur *block
	flush := func() {
		if cur != nil && len(cur.lines) > 0 {
			bs = append(bs, *cur)
		}
		cur = nil
	}
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case fence.MatchString(l):
			flush()
			var body []string
			for i++; i < len(lines) && !fence.MatchString(lines[i]); i++ {
				body = append(body, lines[i])
			}
			bs = append(bs, block{kind: code, lines: body})
		case strings.TrimSpace(l) == "":
			flush()
		case headStart.MatchString(l):
			flush()
			bs = append(bs, block{kind: heading, lines: []string{headStart.FindStringSubmatch(l)[1]}})
		case itemStart.MatchString(l):
			tight := cur != nil && cur.kind == item
			flush()
			m := itemStart.FindStringSubmatch(l)
			cur = &block{kind: item, marker: m[1], lines: []string{m[2]}, tight: tight}
		case cur != nil && cur.kind != code:
			if m := quoteStart.FindStringSubmatch(l); m != nil && cur.kind == quote {
				l = m[1]
			}
			cur.lines = append(cur.lines, strings.TrimSpace(l))
		case strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t"):
			flush()
			bs = append(bs, block{kind: code, lines: []string{strings.TrimPrefix(strings.TrimPrefix(l, "    "), "\t")}})
			for i+1 < len(lines) && (strings.HasPrefix(lines[i+1], "    ") || strings.HasPrefix(lines[i+1], "\t")) {
				i++
				last := &bs[len(bs)-1]
				last.lines = append(last.lines, strings.TrimPrefix(strings.TrimPrefix(lines[i], "    "), "\t"))
			}
		case quoteStart.MatchString(l):
			cur = &block{kind: quote, lines: []string{quoteStart.FindStringSubmatch(l)[1]}}
		default:
			cur = &block{kind: para, lines: []string{strings.TrimSpace(l)}}
		}
	}
	flush()
	return bs
}

var (
	mdLink   = regexp.MustCompile(`!?\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	autoLink = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	strong   = regexp.MustCompile(`(\*\*|__)([^*_]+?)(\*\*|__)`)
	escaped  = regexp.MustCompile(`\\([\\` + "`" + `*_{}\[\]()#+\-.!])`)
)

// Inline spells out links ("text (url)"), drops strong-emphasis markers and
// backslash escapes, and keeps code spans with their backticks.
func Inline(s string) string {
	s = mdLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		text, url := strings.TrimSpace(sub[1]), sub[2]
		if text == "" || text == url {
			return url
		}
		return text + " (" + url + ")"
	})
	s = autoLink.ReplaceAllString(s, "$1")
	s = strong.ReplaceAllString(s, "$2")
	return escaped.ReplaceAllString(s, "$1")
}
