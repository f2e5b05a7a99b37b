package advisory

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// decodeError is a problem at one place of the YAML document.
type decodeError struct {
	Line, Col int
	Msg       string
}

// decoder maps a YAML node tree onto typed structs, refusing everything the
// advisory format does not allow and recording the position of every field.
type decoder struct {
	pos  Positions
	errs []decodeError
	// src is the source, to see how a key is written; lineEnds are the
	// offsets of its '\n' bytes, found on first use.
	src      []byte
	lineEnds []int
	cursor   lineCursor
}

// line returns line n (1-based) of the source split at '\n' (a '\r' stays
// in its line), and false past the last line.
func (d *decoder) line(n int) ([]byte, bool) {
	if d.lineEnds == nil {
		d.lineEnds = make([]int, 0, 64)
		for i, b := range d.src {
			if b == '\n' {
				d.lineEnds = append(d.lineEnds, i)
			}
		}
	}
	if n < 1 || n > len(d.lineEnds)+1 {
		return nil, false
	}
	start, end := 0, len(d.src)
	if n > 1 {
		start = d.lineEnds[n-2] + 1
	}
	if n <= len(d.lineEnds) {
		end = d.lineEnds[n-1]
	}
	return d.src[start:end], true
}

// runeOffset is the byte offset of the character at index i (0-based,
// counting an invalid byte as one character) of line n, and false when the
// line holds fewer than i characters. It counts on from where the last
// call on the same line stopped when i is past it: the keys of a long
// flow mapping are found in one pass over their line, not one each.
func (d *decoder) runeOffset(n int, line []byte, i int) (int, bool) {
	off, count := 0, 0
	if c := d.cursor; c.line == n && c.runes <= i {
		off, count = c.off, c.runes
	}
	for ; count < i; count++ {
		if off >= len(line) {
			return 0, false
		}
		_, size := utf8.DecodeRune(line[off:])
		off += size
	}
	d.cursor = lineCursor{n, count, off}
	return off, true
}

// lineCursor is where runeOffset stopped: character runes of line line is
// at byte off.
type lineCursor struct {
	line, runes, off int
}

func (d *decoder) fail(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, decodeError{n.Line, n.Column, fmt.Sprintf(format, args...)})
}

// checkNode refuses YAML features that hide or repeat content: anchors,
// aliases, merge keys and explicit tags. It reports false when the node must
// not be decoded further.
func (d *decoder) checkNode(n *yaml.Node) bool {
	switch {
	case n.Kind == yaml.AliasNode:
		d.fail(n, "alias *%s: aliases are not allowed; write the value out", n.Value)
		return false
	case n.Anchor != "":
		d.fail(n, "anchor &%s: anchors are not allowed; remove it", n.Anchor)
		return false
	case n.Style&yaml.TaggedStyle != 0:
		d.fail(n, "explicit tag %s is not allowed; remove it", n.Tag)
		return false
	}
	return true
}

// decode fills v (a pointer) from n; path is the field path for positions.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if !d.checkNode(n) {
		return
	}
	if path != "" {
		d.pos[path] = Position{n.Line, n.Column}
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		d.decodeSlice(n, v, path)
	case reflect.String:
		d.decodeString(n, v, path)
	case reflect.Int:
		d.decodeInt(n, v, path)
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.Pointer:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			d.fail(n, "%s: empty value; give a value or remove the key", describe(path))
			return
		}
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem(), path)
		v.Set(p)
	default:
		d.fail(n, "internal error: cannot decode %s", v.Kind())
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, "%s: expected a mapping of keys to values, found %s", describe(path), kindName(n))
		return
	}
	fields := yamlFields(v.Type())
	var seen keySet
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if !d.key(k, &seen) || !d.fieldName(k) {
			continue
		}
		idx, ok := fields[k.Value]
		if !ok {
			d.fail(k, "unknown field %q%s; %s", k.Value, where(path), suggest(k.Value, fields))
			continue
		}
		d.decode(val, v.Field(idx), join(path, k.Value))
	}
}

// fieldName checks that a field's name is written plain: a quoted name
// ("title":, or "ti\x74le": with an escape) reads the same to YAML but
// not to a reviewer or a grep for the field.
func (d *decoder) fieldName(k *yaml.Node) bool {
	if k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		d.fail(k, "field name %q is quoted; write it plain, without quotes or escapes (%s:)", k.Value, k.Value)
		return false
	}
	return true
}

// explicitKey reports whether k is written as an explicit key ("? title"):
// the text before it on its line ends with "?".
func (d *decoder) explicitKey(k *yaml.Node) bool {
	line, ok := d.line(k.Line)
	if !ok || k.Column < 1 {
		return false
	}
	end, ok := d.runeOffset(k.Line, line, k.Column-1)
	return ok && bytes.HasSuffix(bytes.TrimRight(line[:end], " \t"), []byte("?"))
}

// key checks a mapping key: a plain or quoted text scalar (no merge key,
// anchor, alias, tag or explicit "? key"; a quoted key holds no escape),
// held to the text rules, not seen before.
func (d *decoder) key(k *yaml.Node, seen *keySet) bool {
	if !d.checkNode(k) {
		return false
	}
	switch {
	case d.explicitKey(k):
		d.fail(k, "explicit key (? %s): write the key plain, followed by a colon", k.Value)
		return false
	case k.Style&yaml.DoubleQuotedStyle != 0 && d.escaped(k):
		d.fail(k, "key %q is written with a backslash escape; write its characters out", k.Value)
		return false
	case k.Value == "<<" && k.Style == 0:
		d.fail(k, "merge key << is not allowed; write the keys out")
		return false
	case k.Kind != yaml.ScalarNode || k.Tag == "!!null":
		d.fail(k, "keys must be plain names, found %s", kindName(k))
		return false
	case k.Style == 0 && (k.Tag != "!!str" || readsAsNonText(k.Value)):
		d.fail(k, "quote this key (%s reads as %s, not text): write \"%s\"", k.Value, tagName(k), k.Value)
		return false
	}
	if p := rule.TextProblem(k.Value); p != "" {
		d.fail(k, "key: %s (a quoted escape such as \\u202E or \\e counts as the character it writes)", p)
		return false
	}
	if prev := seen.find(k.Value); prev != nil {
		d.fail(k, "duplicate key %q (first at line %d); keep one", k.Value, prev.Line)
		return false
	}
	seen.add(k)
	return true
}

// keySet holds the keys of a mapping read so far: a list while it is
// short (most mappings are), a map beyond.
type keySet struct {
	few  []*yaml.Node
	many map[string]*yaml.Node
}

// keySetList is how many keys a keySet lists before it maps them.
const keySetList = 16

// find returns the key written k, or nil.
func (s *keySet) find(k string) *yaml.Node {
	if s.many != nil {
		return s.many[k]
	}
	for _, n := range s.few {
		if n.Value == k {
			return n
		}
	}
	return nil
}

func (s *keySet) add(k *yaml.Node) {
	switch {
	case s.many != nil:
		s.many[k.Value] = k
	case len(s.few) < keySetList:
		s.few = append(s.few, k)
	default:
		s.many = make(map[string]*yaml.Node, 2*keySetList)
		for _, n := range append(s.few, k) {
			s.many[n.Value] = n
		}
	}
}

// decodeMap fills a map with string keys; each entry's path is the map's
// path joined with the key, and its position is the key's.
func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, "%s: expected a mapping of keys to values, found %s", describe(path), kindName(n))
		return
	}
	if len(n.Content) == 0 {
		d.fail(n, "%s: empty mapping; remove the key or add entries", describe(path))
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	var seen keySet
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if !d.key(k, &seen) {
			continue
		}
		p := join(path, k.Value)
		e := reflect.New(v.Type().Elem()).Elem()
		d.decode(val, e, p)
		d.pos[p] = Position{k.Line, k.Column}
		m.SetMapIndex(reflect.ValueOf(k.Value), e)
	}
	v.Set(m)
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "%s: expected a list, found %s", describe(path), kindName(n))
		return
	}
	if len(n.Content) == 0 {
		d.fail(n, "%s: empty list; remove the key or add items", describe(path))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
	}
	v.Set(s)
}

func (d *decoder) decodeString(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, "%s: expected text, found %s", describe(path), kindName(n))
		return
	}
	if n.Style == 0 && (n.Tag != "!!str" || readsAsNonText(n.Value)) {
		if n.Tag == "!!null" && n.Value == "" {
			d.fail(n, "%s: empty value; give a value or remove the key", describe(path))
			return
		}
		d.fail(n, "%s: quote this value (%s reads as %s, not text): write \"%s\"", describe(path), n.Value, tagName(n), n.Value)
		return
	}
	if p := rule.TextProblem(n.Value); p != "" {
		d.fail(n, "%s: %s (a quoted escape such as \\u202E or \\e counts as the character it writes)", describe(path), p)
		return
	}
	v.SetString(n.Value)
}

// escaped reports whether a double-quoted key's source holds a backslash
// (the key and its quotes are on one line: a key is at most one line).
func (d *decoder) escaped(k *yaml.Node) bool {
	line, ok := d.line(k.Line)
	if !ok || k.Column < 0 {
		return false
	}
	start, ok := d.runeOffset(k.Line, line, k.Column)
	if !ok {
		return false
	}
	rest := line[start:] // after the opening quote
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '\\':
			return true
		case '"':
			return false
		}
	}
	return false
}

// decimal is a positive number written as people write it: no sign, no
// leading zero (0777 is octal to YAML 1.1 readers), no underscore, no base.
var decimal = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[1-9][0-9]{0,17}$`) })

func (d *decoder) decodeInt(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode || n.Style != 0 || n.Tag != "!!int" {
		d.fail(n, "%s: expected a whole number, found %s", describe(path), kindName(n))
		return
	}
	i, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil || i <= 0 || !decimal().MatchString(n.Value) {
		d.fail(n, "%s: expected a positive decimal number without sign or leading zero (12), found %q", describe(path), n.Value)
		return
	}
	v.SetInt(i)
}

// fieldIndexes holds yamlFields' answer for each struct type decoded so far.
var fieldIndexes sync.Map // reflect.Type -> map[string]int, never written after it is stored

// yamlFields maps YAML keys to struct field indexes (the map is shared:
// read it only).
func yamlFields(t reflect.Type) map[string]int {
	if m, ok := fieldIndexes.Load(t); ok {
		return m.(map[string]int)
	}
	m, _ := fieldIndexes.LoadOrStore(t, fieldsOf(t))
	return m.(map[string]int)
}

// fieldsOf maps the YAML keys of struct type t to its field indexes.
func fieldsOf(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			m[tag] = i
		}
	}
	return m
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describe(path string) string {
	if path == "" {
		return "the document"
	}
	return path
}

func where(path string) string {
	if path == "" {
		return ""
	}
	return " in " + path
}

func suggest(key string, fields map[string]int) string {
	var names []string
	for k := range fields {
		names = append(names, k)
	}
	best := closest(key, names)
	if best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return "see the format in README.md"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "an empty value"
		}
		return fmt.Sprintf("%s %q", tagName(n), n.Value)
	}
	return "something else"
}

func tagName(n *yaml.Node) string {
	switch n.Tag {
	case "!!int":
		return "a number"
	case "!!float":
		return "a decimal number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "null"
	case "!!timestamp":
		return "a date"
	case "!!str":
		if n.Style == 0 && readsAsNonText(n.Value) {
			return "a number, boolean or null in some YAML readers"
		}
		return "text"
	}
	return n.Tag
}
