package plaintext

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// md parses CommonMark, as the site renders it (without the site's GFM
// extras, which plain text has no form for).
var md = goldmark.New()

// Markdown renders Markdown as plain text wrapped at width (0: one line per
// paragraph). It walks goldmark's syntax tree: paragraphs and headings are
// word-wrapped; list items keep their marker (numbers counted from the
// list's start) and hang their lines under it, nested lists indented under
// their item; quotes prefix every line with "> "; code blocks are indented
// four spaces and never wrapped. Blocks are separated by one blank line,
// the items of a tight list by none. Inline, emphasis markers are dropped,
// code spans keep their backticks and inline links are spelled out as
// "text (url)". Reference links become numbered notes, "text [1]", their
// URLs listed once each after the text ("[1] url"): a reference definition
// may be used any number of times, and spelling its URL out at each use
// would make the output grow with uses times URL length. So the output is
// never much longer than the input. The result has no trailing newline.
func Markdown(s string, width int) string {
	if paras, ok := PlainParagraphs(s); ok {
		return plainMarkdown(paras, width)
	}
	return markdownFull(s, width)
}

// markdownFull is Markdown through goldmark's syntax tree.
func markdownFull(s string, width int) string {
	src := []byte(s)
	doc := md.Parser().Parse(text.NewReader(src))
	r := &renderer{src: src, width: width, noteOf: map[string]int{}}
	lines := r.children(doc, "", "", false)
	if len(r.notes) > 0 {
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		for i, url := range r.notes {
			lines = append(lines, Wrap(noteMark(i+1)+" "+url, width, "", "    ")...)
		}
	}
	return strings.Join(lines, "\n")
}

type renderer struct {
	src   []byte
	width int
	// notes are the URLs of the reference links, in order of first use;
	// noteOf numbers them (1-based).
	notes  []string
	noteOf map[string]int
}

// note is the number of url among the notes, adding it at its first use.
func (r *renderer) note(url []byte) int {
	if k, ok := r.noteOf[string(url)]; ok {
		return k
	}
	r.notes = append(r.notes, string(url))
	r.noteOf[string(url)] = len(r.notes)
	return len(r.notes)
}

func noteMark(k int) string { return "[" + strconv.Itoa(k) + "]" }

// children renders the blocks of n: the first line of the first block
// starts with first, every other line with rest. Blocks are separated by an
// empty line (rest without trailing spaces) unless tight.
func (r *renderer) children(n ast.Node, first, rest string, tight bool) []string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		prefix := first
		if len(out) > 0 {
			prefix = rest
		}
		lines := r.block(c, prefix, rest)
		if len(lines) == 0 {
			continue // a block with no text (link reference definitions)
		}
		if len(out) > 0 && !tight {
			out = append(out, strings.TrimRight(rest, " "))
		}
		out = append(out, lines...)
	}
	return out
}

func (r *renderer) block(n ast.Node, first, rest string) []string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
		return Wrap(r.inline(n), r.width, first, rest)
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		return r.verbatim(n, first, rest)
	case *ast.Blockquote:
		return r.children(n, first+"> ", rest+"> ", false)
	case *ast.List:
		return r.list(n, first, rest)
	case *ast.ThematicBreak:
		return []string{first + "----"}
	}
	return r.children(n, first, rest, false)
}

// verbatim renders code and raw HTML lines as written, indented four spaces
// (HTML blocks are not indented: they are text the author wrote).
func (r *renderer) verbatim(n ast.Node, first, rest string) []string {
	indent := "    "
	if _, ok := n.(*ast.HTMLBlock); ok {
		indent = ""
	}
	var out []string
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		prefix := rest
		if i == 0 {
			prefix = first
		}
		l := strings.TrimRight(string(seg.Value(r.src)), "\r\n")
		out = append(out, strings.TrimRight(prefix+indent+l, " "))
	}
	return out
}

// list renders each item under its marker: "-", "*" or "+" as written, or
// the item's number with the list's delimiter.
func (r *renderer) list(l *ast.List, first, rest string) []string {
	var out []string
	num := l.Start
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		marker := string(l.Marker)
		if l.IsOrdered() {
			marker = fmt.Sprintf("%d%c", num, l.Marker)
			num++
		}
		prefix := rest
		if len(out) == 0 {
			prefix = first
		} else if !l.IsTight {
			out = append(out, strings.TrimRight(rest, " "))
		}
		hang := rest + strings.Repeat(" ", len(marker)+1)
		out = append(out, r.children(it, prefix+marker+" ", hang, l.IsTight)...)
	}
	return out
}

// inline is the plain text of n's inline content on one line.
func (r *renderer) inline(n ast.Node) string {
	var b strings.Builder
	r.inlines(&b, n)
	return b.String()
}

func (r *renderer) inlines(b *strings.Builder, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.inlineNode(b, c)
	}
}

func (r *renderer) inlineNode(b *strings.Builder, n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		b.Write(unescape(n.Segment.Value(r.src)))
		if n.SoftLineBreak() || n.HardLineBreak() {
			b.WriteByte(' ')
		}
	case *ast.String:
		b.Write(unescape(n.Value))
	case *ast.CodeSpan:
		b.WriteByte('`')
		b.WriteString(r.codeText(n))
		b.WriteByte('`')
	case *ast.AutoLink:
		b.Write(n.Label(r.src))
	case *ast.Link:
		r.link(b, n, n.Destination, n.Reference != nil)
	case *ast.Image:
		r.link(b, n, n.Destination, n.Reference != nil)
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(r.src))
		}
	default: // emphasis and anything else: the text without markers
		r.inlines(b, n)
	}
}

// link writes "text (url)", or the URL alone when the text is empty or the
// URL itself; a reference link writes "text [k]", its URL a note.
// (url stays bytes: converting a long URL at each use would copy it each
// time.)
func (r *renderer) link(b *strings.Builder, n ast.Node, url []byte, reference bool) {
	label := strings.TrimSpace(r.inline(n))
	if reference {
		if label != "" {
			b.WriteString(label + " ")
		}
		b.WriteString(noteMark(r.note(url)))
		return
	}
	if label == "" || label == string(url) {
		b.Write(url)
		return
	}
	b.WriteString(label + " (")
	b.Write(url)
	b.WriteByte(')')
}

// codeText is a code span's text, its line ends made spaces.
func (r *renderer) codeText(n *ast.CodeSpan) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(r.src))
		}
	}
	return strings.ReplaceAll(b.String(), "\n", " ")
}

// unescape drops Markdown's backslash escapes and resolves character
// references (&amp;, &#42;).
func unescape(v []byte) []byte {
	v = util.UnescapePunctuations(v)
	v = util.ResolveNumericReferences(v)
	v = util.ResolveEntityNames(v)
	return bytes.Clone(v)
}
