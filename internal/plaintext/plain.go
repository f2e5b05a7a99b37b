package plaintext

import "strings"

// PlainParagraphs splits Markdown that is nothing but paragraphs of plain
// text, the usual advisory description, into its paragraphs, each its
// lines: lines of ASCII letters, digits, spaces and the punctuation
// .,;:?()/-'" only, each starting with a letter and not ending with a
// space, paragraphs separated by empty lines. No such line can open a block
// other than a paragraph (a list, quote, heading, code block, table, HTML
// block, link definition or setext underline starts with another
// character), continue one as anything but text, or hold an inline
// construct (emphasis, code, links, autolinks, entities, escapes, hard
// breaks and strikethrough each need a character outside the set), so a
// CommonMark renderer makes each paragraph of its lines' text and nothing
// else. ok is false for anything else, and for text with no paragraph.
// Markdown takes it as its quick path (TestMarkdownPlainAsFull); the site
// renders such paragraphs without its parser.
func PlainParagraphs(s string) (paras [][]string, ok bool) {
	var cur []string
	for line := range strings.SplitSeq(s, "\n") {
		if line == "" {
			if cur != nil {
				paras, cur = append(paras, cur), nil
			}
			continue
		}
		if !plainLine(line) {
			return nil, false
		}
		cur = append(cur, line)
	}
	if cur != nil {
		paras = append(paras, cur)
	}
	return paras, len(paras) > 0
}

// plainLine: a letter first, no space last, and only plain characters.
func plainLine(line string) bool {
	if !isASCIILetter(line[0]) || line[len(line)-1] == ' ' {
		return false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		if !isASCIILetter(c) && !('0' <= c && c <= '9') && strings.IndexByte(" .,;:?()/-'\"", c) < 0 {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// plainMarkdown is Markdown of plain paragraphs: each paragraph's lines
// joined by spaces (a soft line break), wrapped, an empty line between
// paragraphs.
func plainMarkdown(paras [][]string, width int) string {
	var lines []string
	for _, p := range paras {
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, Wrap(strings.Join(p, " "), width, "", "")...)
	}
	return strings.Join(lines, "\n")
}
