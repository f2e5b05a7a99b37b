package advisory

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// quickParse builds the node tree of the plain YAML that advisory sources
// are written in, at a fraction of the cost of the general YAML parser, and
// gives up (ok false) on everything else: the general parser then reads the
// file, reports its errors and is the reference. What it reads: block
// mappings of plain keys, block sequences (indented or not), full-line
// comments, and on one line each plain scalars, quoted scalars without
// escapes and one-line flow sequences of plain scalars; literal block
// scalars (|) whose first line is not blank. Anything else (a tab, a CR,
// a trailing comment, a plain scalar that YAML could read as something else
// than text, a second document, flow mappings, anchors, tags, escapes,
// folded or chomped block scalars, an empty value, a character YAML refuses)
// is left to the general parser. On what it reads, the tree is the one
// yaml.v3 builds: the same kinds, styles, tags, values, lines and columns
// (TestQuickParseAgrees, the random-document tests and FuzzQuickParse
// hold it to that).
func quickParse(data []byte) (root *yaml.Node, ok bool) {
	return new(quickParser).parse(data)
}

// quickParsers keeps parsers, with the memory of their lines and nodes,
// for the next file: a tree serves one Decode and is dropped at its end.
var quickParsers = sync.Pool{New: func() any { return new(quickParser) }}

// parse is quickParse with the memory of p, whose earlier tree it
// overwrites.
func (p *quickParser) parse(data []byte) (root *yaml.Node, ok bool) {
	if !quickReadable(data) {
		return nil, false
	}
	p.reset(data)
	p.splitLines()
	p.skipIgnorable()
	if p.at >= len(p.lines) {
		return nil, false // nothing but comments: the general parser says so
	}
	l := p.lines[p.at]
	if l.indent != 0 {
		return nil, false
	}
	root = p.block(0)
	p.skipIgnorable()
	if p.failed || root == nil || p.at < len(p.lines) {
		return nil, false
	}
	return root, true
}

// quickReadable reports whether every byte of data is one quickParse can
// read: newline-terminated UTF-8 without tabs, CRs, a BOM, YAML's other
// line breaks (U+0085, U+2028, U+2029) or characters YAML does not print,
// and no line opening a directive or a document marker.
func quickReadable(data []byte) bool {
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return false
	}
	lineStart := true
	for i := 0; i < len(data); {
		c := data[i]
		if lineStart && (c == '%' || bytes.HasPrefix(data[i:], []byte("---")) || bytes.HasPrefix(data[i:], []byte("..."))) {
			return false
		}
		lineStart = c == '\n'
		if c >= ' ' && c < 0x7F || c == '\n' {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if !yamlPrintable(r) || r == utf8.RuneError && size <= 1 {
			return false
		}
		i += size
	}
	return true
}

// yamlPrintable reports whether YAML takes r as a plain character (not a
// control, not a line break, not a BOM or a noncharacter).
func yamlPrintable(r rune) bool {
	switch {
	case r >= 0xA0 && r <= 0xD7FF && r != 0x2028 && r != 0x2029, r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// quickLine is one line of the source: its text without the newline, the
// number of spaces that open it, and whether it holds nothing else
// (blank) or only a comment.
type quickLine struct {
	text          []byte
	indent        int
	blank, remark bool
}

type quickParser struct {
	src    []byte
	lines  []quickLine
	at     int  // the line being read
	depth  int  // blocks open
	failed bool // something quickParse does not read
	// slabs hold the nodes, slabs[slab] the next one.
	slabs [][]yaml.Node
	slab  int
}

// reset readies p for a new source, keeping its memory.
func (p *quickParser) reset(data []byte) {
	p.src, p.lines, p.at, p.depth, p.failed, p.slab = data, p.lines[:0], 0, 0, false, 0
	for i := range p.slabs {
		p.slabs[i] = p.slabs[i][:0]
	}
}

func (p *quickParser) splitLines() {
	if n := bytes.Count(p.src, []byte("\n")); cap(p.lines) < n {
		p.lines = make([]quickLine, 0, n)
	}
	for rest := p.src; len(rest) > 0; {
		end := bytes.IndexByte(rest, '\n')
		text := rest[:end]
		rest = rest[end+1:]
		indent := 0
		for indent < len(text) && text[indent] == ' ' {
			indent++
		}
		p.lines = append(p.lines, quickLine{text: text, indent: indent, blank: indent == len(text), remark: indent < len(text) && text[indent] == '#'})
	}
}

// node returns a new node, taken from a slab so a file's nodes cost a few
// allocations (none when the parser's slabs, from an earlier file, hold
// enough). A node from an earlier tree is overwritten whole: the fields
// quickParse sets, and an emptied Content.
func (p *quickParser) node(kind yaml.Kind, style yaml.Style, tag, value string, line, col int) *yaml.Node {
	for p.slab < len(p.slabs) && len(p.slabs[p.slab]) == cap(p.slabs[p.slab]) {
		p.slab++
	}
	if p.slab == len(p.slabs) {
		p.slabs = append(p.slabs, make([]yaml.Node, 0, max(32, 2*len(p.lines)))) // about the nodes of a file
	}
	s := p.slabs[p.slab]
	s = s[:len(s)+1]
	p.slabs[p.slab] = s
	n := &s[len(s)-1] // filled in place: a Node is large to copy
	n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column, n.Content = kind, style, tag, value, line, col, n.Content[:0]
	return n
}

// skipIgnorable moves past blank and comment lines.
func (p *quickParser) skipIgnorable() {
	for p.at < len(p.lines) && (p.lines[p.at].blank || p.lines[p.at].remark) {
		p.at++
	}
}

// fail notes that the source holds something quickParse does not read.
func (p *quickParser) fail() *yaml.Node {
	p.failed = true
	return nil
}

// column is the 1-based column of byte offset off of line i, counted in
// characters as YAML counts them.
func (p *quickParser) column(i, off int) int {
	return utf8.RuneCount(p.lines[i].text[:off]) + 1
}

// block reads the block node (a mapping or a sequence) that opens the
// current line after its indentation off.
func (p *quickParser) block(off int) *yaml.Node {
	text := p.lines[p.at].text[off:]
	if isSequenceEntry(text) {
		return p.sequence(off, off)
	}
	if keyLength(text) > 0 {
		return p.mapping(off, off)
	}
	return p.fail()
}

// maxQuickDepth is how deeply quickParse nests blocks; deeper documents
// (never an advisory) are the general parser's, with its own limits.
const maxQuickDepth = 32

// enter counts a block opening and reports whether quickParse reads it.
func (p *quickParser) enter() bool {
	p.depth++
	if p.depth > maxQuickDepth {
		p.failed = true
	}
	return !p.failed
}

// isSequenceEntry reports whether text opens a block sequence entry ("- ").
func isSequenceEntry(text []byte) bool {
	return len(text) >= 2 && text[0] == '-' && text[1] == ' '
}

// keyLength is the length of the plain key that opens text when it is
// followed by a colon and a space or the line's end, else 0. Keys are
// letters, digits, '_' and '-', not opening with '-', and shorter than
// YAML's limit on a key's length.
func keyLength(text []byte) int {
	n := 0
	for n < len(text) && (isDigit(text[n]) || text[n] == '_' || text[n] == '-' || text[n]|0x20 >= 'a' && text[n]|0x20 <= 'z') {
		n++
	}
	if n == 0 || n > 1000 || text[0] == '-' || n >= len(text) || text[n] != ':' || n+1 < len(text) && text[n+1] != ' ' {
		return 0
	}
	return n
}

// mapping reads a block mapping whose keys start at column indent+1; the
// first key is at byte offset off of the current line.
func (p *quickParser) mapping(off, indent int) *yaml.Node {
	if !p.enter() {
		return nil
	}
	defer func() { p.depth-- }()
	m := p.node(yaml.MappingNode, 0, "!!map", "", p.at+1, p.column(p.at, off))
	for !p.failed {
		text := p.lines[p.at].text[off:]
		n := keyLength(text)
		if n == 0 {
			return p.fail()
		}
		key := p.plain(text[:n], p.at+1, p.column(p.at, off))
		value := p.value(off+n+1, indent)
		if p.failed {
			return nil
		}
		m.Content = append(m.Content, key, value)
		p.skipIgnorable()
		if p.at >= len(p.lines) || p.lines[p.at].indent < indent {
			return m
		}
		if p.lines[p.at].indent > indent {
			return p.fail()
		}
		off = indent
		if isSequenceEntry(p.lines[p.at].text[off:]) {
			return p.fail() // a sequence where a key belongs
		}
	}
	return nil
}

// sequence reads a block sequence whose dashes are at column indent+1; the
// first is at byte offset off of the current line.
func (p *quickParser) sequence(off, indent int) *yaml.Node {
	if !p.enter() {
		return nil
	}
	defer func() { p.depth-- }()
	s := p.node(yaml.SequenceNode, 0, "!!seq", "", p.at+1, p.column(p.at, off))
	for !p.failed {
		line := p.lines[p.at].text
		start := off + 1
		for start < len(line) && line[start] == ' ' {
			start++
		}
		if start == len(line) {
			return p.fail() // the entry's content on the next lines
		}
		var item *yaml.Node
		if keyLength(line[start:]) > 0 {
			item = p.mapping(start, start)
		} else {
			item = p.scalar(start, indent)
		}
		if p.failed {
			return nil
		}
		s.Content = append(s.Content, item)
		p.skipIgnorable()
		if p.at >= len(p.lines) || p.lines[p.at].indent < indent {
			return s
		}
		if p.lines[p.at].indent > indent || !isSequenceEntry(p.lines[p.at].text[indent:]) {
			if p.lines[p.at].indent == indent {
				return s // a key of the enclosing mapping after an unindented sequence
			}
			return p.fail()
		}
		off = indent
	}
	return nil
}

// value reads a mapping value that follows the colon at byte offset
// colon-1 of the current line; indent is the mapping's.
func (p *quickParser) value(colon, indent int) *yaml.Node {
	line := p.lines[p.at].text
	start := colon
	for start < len(line) && line[start] == ' ' {
		start++
	}
	if start < len(line) {
		return p.scalar(start, indent)
	}
	p.at++ // the value is a block on the next lines
	p.skipIgnorable()
	if p.at >= len(p.lines) {
		return p.fail()
	}
	next := p.lines[p.at]
	switch {
	case next.indent > indent:
		return p.block(next.indent)
	case next.indent == indent && isSequenceEntry(next.text[indent:]):
		return p.sequence(indent, indent)
	}
	return p.fail() // an empty value
}

// scalar reads the one-line value at byte offset start of the current line
// (or the literal block it opens) and moves to the next line; a line more
// indented than indent right after it would continue it, which quickParse
// leaves to the general parser.
func (p *quickParser) scalar(start, indent int) *yaml.Node {
	line := p.lines[p.at].text
	text := line[start:]
	lineNo, col := p.at+1, p.column(p.at, start)
	var n *yaml.Node
	switch text[0] {
	case '|':
		if len(bytes.TrimRight(text[1:], " ")) != 0 {
			return p.fail()
		}
		return p.literal(lineNo, col, indent)
	case '"', '\'':
		n = p.quoted(text, lineNo, col)
	case '[':
		n = p.flowSequence(start, lineNo, col)
	default:
		if strings.IndexByte("-?:,]{}#&*!>%@`", text[0]) >= 0 {
			return p.fail()
		}
		v := bytes.TrimRight(text, " ")
		if bytes.Contains(v, []byte(": ")) || bytes.Contains(v, []byte(" #")) || v[len(v)-1] == ':' {
			return p.fail()
		}
		n = p.plain(v, lineNo, col)
	}
	p.at++
	if p.continues(indent) {
		return p.fail()
	}
	return n
}

// continues reports whether the next line that is neither blank nor a
// comment is indented more than indent (it would continue the scalar
// before it, or be an error).
func (p *quickParser) continues(indent int) bool {
	i := p.at
	for i < len(p.lines) && (p.lines[i].blank || p.lines[i].remark) {
		i++
	}
	return i < len(p.lines) && p.lines[i].indent > indent
}

// quoted reads a quoted scalar that ends on its line, holds no escape
// (a backslash in double quotes, a doubled quote in single quotes) and is
// followed by nothing but spaces.
func (p *quickParser) quoted(text []byte, line, col int) *yaml.Node {
	q := text[0]
	end := bytes.IndexByte(text[1:], q)
	if end < 0 {
		return p.fail()
	}
	v := text[1 : end+1]
	if len(bytes.TrimRight(text[end+2:], " ")) != 0 || q == '"' && bytes.IndexByte(v, '\\') >= 0 {
		return p.fail()
	}
	style := yaml.DoubleQuotedStyle
	if q == '\'' {
		style = yaml.SingleQuotedStyle
	}
	return p.node(yaml.ScalarNode, style, "!!str", string(v), line, col)
}

// flowSequence reads a one-line flow sequence of one or more plain
// scalars, [a, b], followed by nothing but spaces.
func (p *quickParser) flowSequence(start, line, col int) *yaml.Node {
	text := p.lines[p.at].text
	s := p.node(yaml.SequenceNode, yaml.FlowStyle, "!!seq", "", line, col)
	i := start + 1
	// Columns are counted on from the bracket's, not from the line's start
	// for every item: a long line of items costs its length, not its square.
	counted, counter := start, col
	column := func(off int) int {
		counter += utf8.RuneCount(text[counted:off])
		counted = off
		return counter
	}
	for {
		for i < len(text) && text[i] == ' ' {
			i++
		}
		end := i
		for end < len(text) && strings.IndexByte(",[]{}:#\"'", text[end]) < 0 {
			end++
		}
		item := bytes.TrimRight(text[i:end], " ")
		if len(item) == 0 || end == len(text) || strings.IndexByte("-?!&*|>%@`", item[0]) >= 0 {
			return p.fail()
		}
		s.Content = append(s.Content, p.plain(item, line, column(i)))
		if p.failed {
			return nil
		}
		i = end + 1
		if text[end] == ']' {
			break
		}
		if text[end] != ',' {
			return p.fail()
		}
	}
	if len(bytes.TrimRight(text[i:], " ")) != 0 {
		return p.fail()
	}
	return s
}

// literal reads a literal block scalar (| with no indicator) whose first
// line follows the current one, with the clip chomping YAML gives it: the
// lines without their common indentation, one newline at the end. Its
// first line is not blank and is indented more than indent; a blank line
// within holds no more spaces than the indentation.
func (p *quickParser) literal(line, col, indent int) *yaml.Node {
	p.at++
	if p.at >= len(p.lines) || p.lines[p.at].blank || p.lines[p.at].indent <= indent {
		return p.fail()
	}
	own := p.lines[p.at].indent
	var b strings.Builder
	pendingBlank := 0
	for ; p.at < len(p.lines); p.at++ {
		l := p.lines[p.at]
		if l.blank {
			if len(l.text) > own {
				return p.fail()
			}
			pendingBlank++
			continue
		}
		if l.indent < own {
			break
		}
		for ; pendingBlank > 0; pendingBlank-- {
			b.WriteByte('\n')
		}
		b.Write(l.text[own:])
		b.WriteByte('\n')
	}
	if p.continues(indent) {
		return p.fail()
	}
	return p.node(yaml.ScalarNode, yaml.LiteralStyle, "!!str", b.String(), line, col)
}

// plain makes the node of a plain scalar that YAML reads as text, and
// gives up on one it could read as something else (a number, a boolean, a
// null, a date, a merge key).
func (p *quickParser) plain(v []byte, line, col int) *yaml.Node {
	if !plainIsText(v) {
		return p.fail()
	}
	return p.node(yaml.ScalarNode, 0, "!!str", string(v), line, col)
}

// plainIsText reports whether yaml.v3 surely reads the plain scalar v as a
// string: it opens with a character from which YAML looks for nothing
// else; or with one of the letters of true, false, null and ~ (and <<)
// while being none of those words; or with a digit and holding a letter
// that no number or date can hold (and no x, which opens hexadecimal).
// Every other plain scalar is left to the general parser.
func plainIsText(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	switch c := v[0]; {
	case strings.IndexByte("yYnNtTfFoO~<", c) >= 0:
		switch string(v) {
		case "true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL", "<<":
			return false
		}
		return true
	case isDigit(c):
		if bytes.IndexByte(v, 'x') >= 0 || bytes.IndexByte(v, 'X') >= 0 {
			return false
		}
		for _, c := range v {
			if c|0x20 >= 'a' && c|0x20 <= 'z' && strings.IndexByte("eEtTzZoObB", c) < 0 {
				return true
			}
		}
		return false
	case c == '+' || c == '-' || c == '.':
		return false
	}
	return true
}
