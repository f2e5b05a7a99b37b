package site

import (
	"bufio"
	"bytes"
	"html/template"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/plaintext"
)

// MaxMarkdown is the most Markdown rendered per field, lint's limit; longer
// text (only from records that skipped lint) is cut, at a line boundary when
// possible, and a note says so.
const MaxMarkdown = rule.MaxMarkdown

// relLink is the rel attribute of every external link.
const relLink = "noopener noreferrer"

var (
	mdOnce   sync.Once
	mdEngine goldmark.Markdown
	mdPolicy *bluemonday.Policy
)

func markdown() (goldmark.Markdown, *bluemonday.Policy) {
	mdOnce.Do(func() {
		// Raw HTML is off: goldmark's default renderer omits it (no WithUnsafe).
		mdEngine = goldmark.New(
			goldmark.WithExtensions(extension.Table, extension.Strikethrough),
			goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(linkGuard{}, 100))),
		)
		mdPolicy = newPolicy()
	})
	return mdEngine, mdPolicy
}

// newPolicy allows the HTML goldmark produces for prose and nothing else:
// links only with an https URL and our rel, no images, no attributes that
// can run code or load anything.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote",
		"ul", "ol", "li", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("th", "td")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^noopener noreferrer$`)).OnElements("a")
	p.AllowURLSchemes("https")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.RequireNoReferrerOnLinks(true)
	return p
}

// renderMarkdown renders untrusted Markdown to sanitized HTML: plain
// paragraphs without the parser (plainParagraphs), anything else through
// goldmark and bluemonday.
func renderMarkdown(src string) template.HTML {
	if html, ok := plainParagraphs(src); ok {
		return template.HTML(html) //nolint:gosec // only letters, digits, spaces and escaped punctuation
	}
	return renderMarkdownFull(src)
}

// renderMarkdownFull renders Markdown through goldmark and bluemonday.
func renderMarkdownFull(src string) template.HTML {
	if src == "" {
		return ""
	}
	md, pol := markdown()
	in := []byte(src)
	cut := false
	if len(in) > MaxMarkdown {
		in, cut = capMarkdown(in), true
	}
	b := getMDBuf()
	defer putMDBuf(b)
	if err := md.Convert(in, b.w); err != nil {
		b.reset()
		template.HTMLEscape(&b.out, in)
	}
	if cut {
		b.out.WriteString("\n<p><em>This text is longer than the site shows; the OSV record has all of it.</em></p>\n")
	}
	return template.HTML(pol.SanitizeBytes(b.out.Bytes())) //nolint:gosec // sanitized just now
}

// plainParagraphs renders, as goldmark and bluemonday do, Markdown that
// is nothing but paragraphs of plain text (plaintext.PlainParagraphs: the
// usual description), within MaxMarkdown: each paragraph is <p>, its lines
// as written (' and " escaped as bluemonday writes them), </p>. ok is false
// for anything else, which renderMarkdownFull renders.
// TestPlainParagraphsAsFull, TestPlainParagraphsRandom and
// FuzzPlainParagraphsAsFull hold it to the full renderer.
func plainParagraphs(src string) (html string, ok bool) {
	if len(src) > MaxMarkdown {
		return "", false
	}
	paras, ok := plaintext.PlainParagraphs(src)
	if !ok {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(src) + 32)
	for _, p := range paras {
		b.WriteString("<p>")
		for i, line := range p {
			if i > 0 {
				b.WriteByte('\n')
			}
			writePlain(&b, line)
		}
		b.WriteString("</p>\n")
	}
	return b.String(), true
}

// writePlain writes a plain line with ' and " escaped as bluemonday
// escapes text.
func writePlain(b *strings.Builder, line string) {
	for {
		i := strings.IndexAny(line, "'\"")
		if i < 0 {
			b.WriteString(line)
			return
		}
		b.WriteString(line[:i])
		if line[i] == '\'' {
			b.WriteString("&#39;")
		} else {
			b.WriteString("&#34;")
		}
		line = line[i+1:]
	}
}

// mdBuf is a reusable Markdown output buffer. goldmark writes through a
// bufio.Writer and makes a new one (4 KB) per call unless it is given one,
// so each worker's buffer comes with its own.
type mdBuf struct {
	out bytes.Buffer
	w   *bufio.Writer // writes to out; goldmark flushes it
}

var mdBufs = sync.Pool{New: func() any {
	b := new(mdBuf)
	b.w = bufio.NewWriter(&b.out)
	return b
}}

func getMDBuf() *mdBuf {
	b := mdBufs.Get().(*mdBuf)
	b.reset()
	return b
}

// putMDBuf keeps a buffer for reuse unless a huge input grew it.
func putMDBuf(b *mdBuf) {
	if b.out.Cap() <= 1<<20 {
		mdBufs.Put(b)
	}
}

func (b *mdBuf) reset() {
	b.w.Reset(&b.out)
	b.out.Reset()
}

func capMarkdown(in []byte) []byte {
	in = in[:MaxMarkdown]
	if i := bytes.LastIndexByte(in, '\n'); i > MaxMarkdown/2 {
		in = in[:i]
	}
	for len(in) > 0 && in[len(in)-1]&0xC0 == 0x80 { // do not split a rune
		in = in[:len(in)-1]
	}
	if len(in) > 0 && in[len(in)-1] >= 0xC0 {
		in = in[:len(in)-1]
	}
	return in
}

// linkGuard rewrites the Markdown tree before rendering: links keep their
// text but lose the link unless the URL is https; images become their alt
// text; headings move below the page's own h1 and h2.
type linkGuard struct{}

func (linkGuard) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var unlink []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(max(n.Level+2, 3), 6)
		case *ast.Link:
			if isHTTPS(string(n.Destination)) {
				n.Title = nil
				n.SetAttributeString("rel", []byte(relLink))
			} else {
				unlink = append(unlink, n)
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && isHTTPS(string(n.URL(src))) {
				n.SetAttributeString("rel", []byte(relLink))
			} else {
				unlink = append(unlink, n)
			}
		case *ast.Image:
			unlink = append(unlink, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unlink {
		replaceWithText(n, src)
	}
	flattenDeep(doc, 0)
}

// maxNesting bounds nested block quotes and lists, lint's limit: browsers
// flatten deeper trees anyway, and deep trees are slow to lay out.
const maxNesting = rule.MaxMarkdownNesting

// flattenDeep replaces block containers nested deeper than maxNesting with a
// short note.
func flattenDeep(n ast.Node, depth int) {
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		d := depth
		switch c.Kind() {
		case ast.KindBlockquote, ast.KindList:
			d++
		}
		if d > maxNesting {
			p := ast.NewParagraph()
			p.AppendChild(p, ast.NewString([]byte("(nested too deeply to show)")))
			n.ReplaceChild(n, c, p)
		} else {
			flattenDeep(c, d)
		}
		c = next
	}
}

// replaceWithText puts a node's text (its children, or an autolink's label)
// in its place.
func replaceWithText(n ast.Node, src []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	if al, ok := n.(*ast.AutoLink); ok {
		parent.ReplaceChild(parent, n, ast.NewString(al.Label(src)))
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}
