package advisory

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/regularfile"
)

// safeID is what an ID may contain so it is safe as a file name and in URLs.
var safeID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,63}$`) })

// LoadFile reads one advisory source of the given product. It checks the
// file (regular, size, text), the YAML (one document, no anchors, aliases,
// merge keys, tags or duplicate keys), decodes it strictly into the model and
// checks the document's shape. Any problem is returned as diagnostics and the
// advisory is nil.
func LoadFile(path, product string) (*Advisory, diag.List) {
	data, d := readSource(path)
	if d != nil {
		return nil, diag.List{*d}
	}
	return Parse(path, product, data)
}

// loadListed is LoadFile for a file of a directory listing (listed is its
// type there); it also returns the bytes read (nil when none were).
func loadListed(path, product string, listed fs.FileMode) (*Advisory, []byte, diag.List) {
	data, err := regularfile.ReadListed(path, listed, MaxFileSize)
	if d := sourceProblem(path, err); d != nil {
		return nil, nil, diag.List{*d}
	}
	a, ds := Parse(path, product, data)
	return a, data, ds
}

// Parse decodes an advisory source held in memory; path is used for
// diagnostics and the file-name check.
func Parse(path, product string, data []byte) (*Advisory, diag.List) {
	a := &Advisory{Product: product, Path: path}
	pos, out := Decode(path, data, a)
	a.Pos = pos
	if out == nil {
		out = checkShape(a)
	}
	if out.HasErrors() {
		out.Sort()
		return nil, out
	}
	return a, out
}

// Decode decodes a database file held in memory into v (a pointer to a
// struct or map of strings, whole numbers, lists, maps and pointers of
// those) under the rules of advisory sources: the size cap, the text rules,
// exactly one YAML document, no anchors, aliases, merge keys or explicit
// tags, no duplicate or unknown keys, values that read as something else
// than text refused with "quote this value". It returns the position of
// every field path ("branches[0].fixed", "python.branches.3.12") and the
// problems, each at path:line:col. The products configuration is loaded
// with it too.
func Decode(path string, data []byte, v any) (Positions, diag.List) {
	errAt := func(line, col int, msg string) diag.List {
		return diag.List{{File: path, Line: line, Col: col, Severity: diag.Error, Rule: "yaml", Message: msg}}
	}
	if len(data) > MaxFileSize {
		return nil, errAt(1, 1, fmt.Sprintf("file is %d bytes, over the %d-byte limit; shorten it", len(data), MaxFileSize))
	}
	if line, col, msg := rule.SourceProblem(data); msg != "" {
		return nil, errAt(line, col, msg)
	}
	qp := quickParsers.Get().(*quickParser)
	defer quickParsers.Put(qp) // after the decoding, the last use of the tree
	doc, ds := parseDocument(path, data, qp)
	if ds != nil {
		return nil, ds
	}
	dec := &decoder{pos: make(Positions, bytes.Count(data, []byte("\n"))+8), src: data} // a field or so a line
	dec.decode(doc, reflect.ValueOf(v).Elem(), "")
	var out diag.List
	for _, e := range dec.errs {
		out = append(out, diag.Diagnostic{File: path, Line: e.Line, Col: e.Col, Severity: diag.Error, Rule: "yaml", Message: e.Msg})
	}
	out.Sort()
	return dec.pos, out
}

// ReadFile reads a file of the database (an advisory source, the products
// configuration): a regular file, not a link, within MaxFileSize. A problem
// is one diagnostic at path:1:1.
func ReadFile(path string) ([]byte, diag.List) {
	data, d := readSource(path)
	if d != nil {
		return nil, diag.List{*d}
	}
	return data, nil
}

// parseDocument parses exactly one YAML document and returns its root node:
// with quickParse (qp's memory) when the source is written the way
// advisories are, else (and for every error) with yaml.v3.
func parseDocument(path string, data []byte, qp *quickParser) (*yaml.Node, diag.List) {
	if root, ok := qp.parse(data); ok {
		return root, nil
	}
	errAt := func(line, col int, msg string) diag.List {
		return diag.List{{File: path, Line: line, Col: col, Severity: diag.Error, Rule: "yaml", Message: msg}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errAt(1, 1, "the file is empty; write its content (see README.md)")
		}
		line, msg := yamlErrorLine(err)
		return nil, errAt(line, 1, "invalid YAML: "+msg)
	}
	var second yaml.Node
	if err := dec.Decode(&second); !errors.Is(err, io.EOF) {
		line := second.Line
		if err != nil {
			line, _ = yamlErrorLine(err)
		}
		return nil, errAt(max(line, 1), 1, "a second YAML document; keep one document (one advisory) per file and remove the extra ---")
	}
	if len(doc.Content) != 1 {
		return nil, errAt(1, 1, "the file holds no document")
	}
	return doc.Content[0], nil
}

var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// yamlErrorLine extracts the line from a yaml.v3 error message.
func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		var n int
		fmt.Sscan(m[1], &n)
		return n, m[2]
	}
	return 1, strings.TrimPrefix(msg, "yaml: ")
}

// readSource reads a source file after checking that it is a regular file
// (not a symlink, device or directory) within the size cap.
func readSource(path string) ([]byte, *diag.Diagnostic) {
	data, err := regularfile.Read(path, MaxFileSize)
	if d := sourceProblem(path, err); d != nil {
		return nil, d
	}
	return data, nil
}

// sourceProblem is the diagnostic of an error reading the source at path,
// or nil for none.
func sourceProblem(path string, err error) *diag.Diagnostic {
	bad := func(msg string) *diag.Diagnostic {
		return &diag.Diagnostic{File: path, Line: 1, Col: 1, Severity: diag.Error, Rule: "file", Message: msg}
	}
	var tooLarge *regularfile.TooLargeError
	switch {
	case errors.Is(err, regularfile.ErrSymlink):
		return bad("symbolic link; the database holds regular files only: replace the link with the file")
	case errors.Is(err, regularfile.ErrNotRegular):
		return bad("not a regular file; the database holds regular files only")
	case errors.As(err, &tooLarge):
		return bad(fmt.Sprintf("file is %s; shorten it", tooLarge))
	case err != nil:
		return bad(fmt.Sprintf("cannot read: %v", err))
	}
	return nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// IDFromPath is the ID a source file must hold: its base name without .yaml.
func IDFromPath(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".yaml")
}
