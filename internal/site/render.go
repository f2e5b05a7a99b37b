package site

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"

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

type pageTemplate struct{ t *template.Template }

func (p pageTemplate) Execute(w io.Writer, d pageData) error {
	return p.t.ExecuteTemplate(w, "layout", d)
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
		return pageTemplate{t}, nil
	}
	var ts templates
	var err error
	if ts.index, err = load("index.html"); err != nil {
		return nil, err
	}
	if ts.advisory, err = load("advisory.html"); err != nil {
		return nil, err
	}
	if ts.notFound, err = load("404.html"); err != nil {
		return nil, err
	}
	return &ts, nil
}

func assetsFS() fs.FS { return assets.FS }
