package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
	"sync"

	assets "github.com/psf/advisory-builder/site"
)

// CSP is the Content-Security-Policy of every page: only the site's own
// scripts, styles, images and data; no inline script or style, no plugins,
// no framing of forms or base URL changes.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'"

// pageData is what the layout template sees.
type pageData struct {
	Root        string // relative (or absolute-path) prefix to the site root
	Title       string
	Description string
	CSP         string
	Script      bool // load assets/app.js
	Page        any  // the page's own view
}

// pageTemplate is one page's template set (the layout and the page's
// "main"), with its layout rendered once per frame (see frame).
type pageTemplate struct {
	t      *template.Template
	frames *frameCache
	// main, when set, writes "main" in Go for the pages it knows (it
	// reports false for any other, which the template then renders).
	main func(b *bytes.Buffer, page any) bool
}

// newPageTemplate is t, not yet executed, with an empty frame cache.
func newPageTemplate(t *template.Template) (pageTemplate, error) {
	pristine, err := t.Clone() // html/template clones only what has not been executed
	if err != nil {
		return pageTemplate{}, err
	}
	return pageTemplate{t: t, frames: &frameCache{pristine: pristine, byKey: map[frameKey]*frame{}}}, nil
}

// Execute renders the page. With a title and a description, the layout
// around "main" comes from its frame, and only "main" is executed: the
// bytes are the same (TestFramedPagesIdentical), without the layout's
// actions on every page.
func (p pageTemplate) Execute(w io.Writer, d pageData) error {
	if d.Title == "" || d.Description == "" || p.frames == nil {
		return p.t.ExecuteTemplate(w, "layout", d)
	}
	f, err := p.frames.get(frameKey{root: d.Root, csp: d.CSP, script: d.Script})
	if err != nil {
		return err
	}
	return f.execute(w, p, d)
}

// A frame is the layout rendered once for pages that share its root,
// policy and script: the text before the title, between the title and the
// description, between the description and "main", and after "main".
type frame struct{ parts [4]string }

type frameKey struct {
	root, csp string
	script    bool
}

// frameCache holds a template's frames, made from a copy of the template
// that is never executed; safe for concurrent use.
type frameCache struct {
	pristine *template.Template
	mu       sync.Mutex
	byKey    map[frameKey]*frame
}

func (c *frameCache) get(k frameKey) (*frame, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.byKey[k]; f != nil {
		return f, nil
	}
	f, err := newFrame(c.pristine, k)
	if err != nil {
		return nil, err
	}
	c.byKey[k] = f
	return f, nil
}

// Markers stand for the title, the description and "main" while a frame
// is rendered; html/template leaves letters and digits as they are.
const (
	titleMarker = "FrameTitle7f3a"
	descMarker  = "FrameDescription7f3a"
	mainMarker  = "FrameMain7f3a"
)

// newFrame renders the layout of a copy of t whose "main" is the main
// marker, with the title and description markers, and cuts it at them.
func newFrame(t *template.Template, k frameKey) (*frame, error) {
	c, err := t.Clone()
	if err == nil {
		_, err = c.New("main").Parse(mainMarker)
	}
	if err != nil {
		return nil, fmt.Errorf("site: framing the layout: %w", err)
	}
	var b strings.Builder
	d := pageData{Root: k.root, CSP: k.csp, Script: k.script, Title: titleMarker, Description: descMarker}
	if err := c.ExecuteTemplate(&b, "layout", d); err != nil {
		return nil, fmt.Errorf("site: framing the layout: %w", err)
	}
	var f frame
	rest := b.String()
	for i, m := range []string{titleMarker, descMarker, mainMarker} {
		before, after, ok := strings.Cut(rest, m)
		if !ok || strings.Contains(after, m) {
			return nil, fmt.Errorf("site: framing the layout: %s does not appear exactly once", m)
		}
		f.parts[i], rest = before, after
	}
	f.parts[3] = rest
	return &f, nil
}

func (f *frame) execute(w io.Writer, p pageTemplate, d pageData) error {
	if _, err := io.WriteString(w, f.parts[0]+escapeText(d.Title)+f.parts[1]+escapeText(d.Description)+f.parts[2]); err != nil {
		return err
	}
	if b, ok := w.(*bytes.Buffer); !ok || p.main == nil || !p.main(b, d.Page) {
		if err := p.t.ExecuteTemplate(w, "main", d); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, f.parts[3])
	return err
}

// advisoryMain is the advisory template's "main" in Go (writeAdvisoryMain).
func advisoryMain(b *bytes.Buffer, page any) bool {
	v, ok := page.(*advView)
	if ok && v != nil {
		writeAdvisoryMain(b, v)
	}
	return ok && v != nil
}

// escapeText escapes a string as html/template does in element text, RCDATA
// (the title) and a quoted attribute value: NUL becomes U+FFFD, and " & '
// + < > character references (FuzzEscapeText holds it to html/template).
func escapeText(s string) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		repl := ""
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteString(repl)
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

type templates struct {
	index, advisory, notFound pageTemplate
}

func loadTemplates() (*templates, error) {
	load := func(name string) (pageTemplate, error) {
		t, err := template.New(name).ParseFS(assets.FS, "templates/layout.html", "templates/"+name)
		if err != nil {
			return pageTemplate{}, fmt.Errorf("site: parsing template %s: %w", name, err)
		}
		p, err := newPageTemplate(t)
		if err != nil {
			return pageTemplate{}, fmt.Errorf("site: template %s: %w", name, err)
		}
		return p, nil
	}
	var ts templates
	var err error
	if ts.index, err = load("index.html"); err != nil {
		return nil, err
	}
	if ts.advisory, err = load("advisory.html"); err != nil {
		return nil, err
	}
	ts.advisory.main = advisoryMain
	if ts.notFound, err = load("404.html"); err != nil {
		return nil, err
	}
	return &ts, nil
}

func assetsFS() fs.FS { return assets.FS }
