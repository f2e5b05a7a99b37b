package site

import (
	"bytes"
	"html/template"
	"io/fs"
	"strings"
	"testing"
)

// renderBoth renders an advisory page through its frame and through the
// whole template.
func renderBoth(tb testing.TB, tpl pageTemplate, d pageData) (framed, whole []byte) {
	tb.Helper()
	var a, b bytes.Buffer
	if err := tpl.Execute(&a, d); err != nil {
		tb.Fatal(err)
	}
	if err := tpl.t.ExecuteTemplate(&b, "layout", d); err != nil {
		tb.Fatal(err)
	}
	return a.Bytes(), b.Bytes()
}

// advisoryPageData is what advisoryPages renders for a summary.
func advisoryPageData(s *advSummary) pageData {
	v := s.view()
	return pageData{Root: "../", Title: v.ID + ": " + v.Title, Description: v.Title, CSP: CSP, Page: v}
}

// TestFramedPagesIdentical: every advisory page of the fixtures, the
// hostile records and generated ones is the same through its frame as
// through the whole template, and so are the index and 404 pages, which
// share the cache.
func TestFramedPagesIdentical(t *testing.T) {
	cfg := fixtureConfig()
	recs := append(append(fixtureRecords(cfg), xssRecords(cfg)...), generateRecords(cfg, 50)...)
	sums, err := buildSummaries(recs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := loadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		framed, whole := renderBoth(t, tpl.advisory, advisoryPageData(s))
		if !bytes.Equal(framed, whole) {
			t.Fatalf("%s: the framed page differs:\n%s\n---\n%s", s.ID, framed, whole)
		}
	}
	for _, d := range []pageData{ // other frames of templates already executed
		{Root: "", Title: "Python security advisories", Description: "x", Script: true, CSP: CSP},
		{Root: "/advisory-database/", Title: "Page not found", CSP: CSP},
		{Root: "/x/", Title: "Page not found", Description: "y", CSP: CSP},
		{Root: "/y/", Title: "t", Description: "d", Page: &advView{}, CSP: CSP},
	} {
		framed, whole := renderBoth(t, tpl.notFound, d)
		if !bytes.Equal(framed, whole) {
			t.Fatalf("%q: the framed page differs:\n%s\n---\n%s", d.Title, framed, whole)
		}
		framed, whole = renderBoth(t, tpl.advisory, d)
		if !bytes.Equal(framed, whole) {
			t.Fatalf("%q: the framed page differs:\n%s\n---\n%s", d.Title, framed, whole)
		}
	}
}

// FuzzEscapeText: escapeText is what html/template writes for a string in
// a title and in a quoted attribute, for any bytes.
//
//	go test ./internal/site -run '^$' -fuzz FuzzEscapeText -fuzztime 30s
func FuzzEscapeText(f *testing.F) {
	for _, s := range append(pathological(), "a+b <c> & 'd' \"e\"", "\x00", "\xff\xfe+", "\u2028\ufdd0") {
		f.Add(s)
	}
	ref := template.Must(template.New("t").Parse(`<title>{{.}}</title><meta content="{{.}}">`))
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		if err := ref.Execute(&b, s); err != nil {
			t.Fatal(err)
		}
		e := escapeText(s)
		if want := "<title>" + e + `</title><meta content="` + e + `">`; b.String() != want {
			t.Fatalf("%q: html/template writes %q, escapeText %q", s, b.String(), e)
		}
	})
}

// BenchmarkAdvisoryPage builds the view of 200 generated advisories and
// renders their pages into memory three ways, in the same run: as main
// did two rounds ago (the whole layout executed on every page, the branch
// table and references as template ranges: the template rebuilt with
// rowsAsTemplate's ranges), as it did last round (the framed layout, the
// rows written by rows.go, "main" by the template), and as it does now
// ("main" written in Go too, advmain.go). All write the same bytes, which
// the benchmark checks.
//
//	go test ./internal/site -run '^$' -bench AdvisoryPage -count 3
func BenchmarkAdvisoryPage(b *testing.B) {
	cfg := fixtureConfig()
	sums, err := buildSummaries(generateRecords(cfg, 200), cfg)
	if err != nil {
		b.Fatal(err)
	}
	tpl, err := loadTemplates()
	if err != nil {
		b.Fatal(err)
	}
	before := rangesTemplate(b)
	templateMain := tpl.advisory
	templateMain.main = nil
	data := make([]pageData, len(sums))
	for i, s := range sums {
		data[i] = advisoryPageData(s)
		framed, _ := renderBoth(b, tpl.advisory, data[i])
		var old, last bytes.Buffer
		if err := before.ExecuteTemplate(&old, "layout", data[i]); err != nil || !bytes.Equal(old.Bytes(), framed) {
			b.Fatalf("%s: the ways differ (%v)", s.ID, err)
		}
		if err := templateMain.Execute(&last, data[i]); err != nil || !bytes.Equal(last.Bytes(), framed) {
			b.Fatalf("%s: the ways differ (%v)", s.ID, err)
		}
	}
	var buf bytes.Buffer
	for _, way := range []struct {
		name   string
		render func(d pageData) error
	}{
		{"whole-template+ranges", func(d pageData) error { return before.ExecuteTemplate(&buf, "layout", d) }},
		{"framed+rows+template-main", func(d pageData) error { return templateMain.Execute(&buf, d) }},
		{"now:framed+Go-main", func(d pageData) error { return tpl.advisory.Execute(&buf, d) }},
	} {
		b.Run(way.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range sums {
					d := advisoryPageData(s) // the page's view, built per page as advisoryPages does
					buf.Reset()
					if err := way.render(d); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(data)), "ns/page")
		})
	}
}

// rangesTemplate is the advisory template as it was before rows.go: the
// branch rows and references as ranges.
func rangesTemplate(tb testing.TB) *template.Template {
	tb.Helper()
	src, err := fs.ReadFile(assetsFS(), "templates/advisory.html")
	if err != nil {
		tb.Fatal(err)
	}
	layout, err := fs.ReadFile(assetsFS(), "templates/layout.html")
	if err != nil {
		tb.Fatal(err)
	}
	text := string(src)
	for field, name := range map[string]string{"{{.BranchRows}}": "branches", "{{.ReferenceItems}}": "references"} {
		if !strings.Contains(text, field) {
			tb.Fatalf("advisory.html has no %s", field)
		}
		text = strings.Replace(text, field, "{{template \""+name+"\" .Branches}}", 1)
	}
	text = strings.Replace(text, `{{template "references" .Branches}}`, `{{template "references" .References}}`, 1)
	t := template.Must(template.New("before").Parse(string(layout)))
	template.Must(t.Parse(text))
	for _, name := range []string{"branches", "references"} {
		template.Must(t.AddParseTree(name, rowsAsTemplate.Lookup(name).Tree))
	}
	return t
}
