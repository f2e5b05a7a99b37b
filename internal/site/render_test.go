package site

import (
	"bytes"
	"html/template"
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

// BenchmarkAdvisoryPage renders generated advisory pages into memory, the
// whole template against the framed layout, in the same run.
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
	data := make([]pageData, len(sums))
	for i, s := range sums {
		data[i] = advisoryPageData(s)
	}
	var buf bytes.Buffer
	for _, way := range []string{"whole-template", "framed"} {
		b.Run(way, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range data {
					buf.Reset()
					var err error
					if way == "framed" {
						err = tpl.advisory.Execute(&buf, d)
					} else {
						err = tpl.advisory.t.ExecuteTemplate(&buf, "layout", d)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(data)), "ns/page")
		})
	}
}
