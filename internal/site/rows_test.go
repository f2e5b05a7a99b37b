package site

import (
	"html/template"
	"strings"
	"testing"
)

// The ranges the advisory template had before rows.go wrote its rows: the
// reference the Go rendering is held to.
var rowsAsTemplate = template.Must(template.New("rows").Parse(
	`{{define "branches"}}{{range .}}<tr class="status-{{.Status}}"><th scope="row">{{.Branch}}</th><td data-label="First affected">{{or .First "—"}}</td><td data-label="Last affected">{{or .Last "—"}}</td><td data-label="Fixed in">{{if .FixedIn}}{{.FixedIn}}{{else}}<span class="status">{{.StatusLabel}}</span>{{end}}</td><td data-label="Fix commit">{{if .FixURL}}<a href="{{.FixURL}}" rel="noopener noreferrer"><code>{{.FixShort}}</code></a>{{else if .FixShort}}<code>{{.FixShort}}</code>{{else}}—{{end}}</td></tr>
{{end}}{{end}}` +
		`{{define "references"}}{{range .}}<li><span class="ref-type">{{.Type}}</span> {{if .Safe}}<a href="{{.URL}}" rel="noopener noreferrer">{{.URL}}</a>{{else}}<span class="plain-url">{{.URL}}</span>{{end}}</li>
{{end}}{{end}}`))

func templateRows(t testing.TB, name string, data any) string {
	t.Helper()
	var b strings.Builder
	if err := rowsAsTemplate.ExecuteTemplate(&b, name, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRowsAsTemplate: the branch rows and reference items of every
// fixture, hostile and generated advisory are what the template ranges
// wrote.
func TestRowsAsTemplate(t *testing.T) {
	cfg := fixtureConfig()
	recs := append(append(fixtureRecords(cfg), xssRecords(cfg)...), generateRecords(cfg, 30)...)
	sums, err := buildSummaries(recs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var rows, refs int
	for _, s := range sums {
		v := s.view()
		if got, want := string(v.BranchRows), templateRows(t, "branches", v.Branches); got != want {
			t.Errorf("%s: branch rows\n%s\nwant\n%s", s.ID, got, want)
		}
		if got, want := string(v.ReferenceItems), templateRows(t, "references", v.References); got != want {
			t.Errorf("%s: references\n%s\nwant\n%s", s.ID, got, want)
		}
		rows += len(v.Branches)
		refs += len(v.References)
	}
	if rows == 0 || refs == 0 {
		t.Fatalf("%d rows and %d references compared", rows, refs)
	}
}

// FuzzRowsAsTemplate: for any values, a branch row and a reference item
// are what the template ranges wrote.
//
//	go test ./internal/site -run '^$' -fuzz FuzzRowsAsTemplate -fuzztime 60s
func FuzzRowsAsTemplate(f *testing.F) {
	for _, s := range pathological() {
		f.Add(s, "https://github.com/python/cpython/commit/"+sha('a'), true)
	}
	f.Add("", "javascript:alert(1)", false)
	f.Add("a+b", "https://x/%zz%41%4 é'\"<>", true)
	f.Add("\x00", "HTTPS://x/a b?c=d&e", true)
	f.Add("x", "mailto:a@b", true)
	f.Add("x", "/rel:ative", true)
	f.Fuzz(func(t *testing.T, text, url string, flag bool) {
		row := branchView{Branch: text, Status: text, First: text, Last: "", FixedIn: text, StatusLabel: text, FixURL: url, FixShort: text}
		if flag {
			row.Last, row.FixedIn, row.FixURL = text, "", ""
		}
		rows := []branchView{row, {Branch: url, StatusLabel: url, FixShort: url}}
		if got, want := string(branchRows(rows)), templateRows(t, "branches", rows); got != want {
			t.Fatalf("branch rows\n%q\nwant\n%q", got, want)
		}
		refs := []refView{{Type: text, URL: url, Safe: flag}, {Type: url, URL: text, Safe: !flag}}
		if got, want := string(referenceItems(refs)), templateRows(t, "references", refs); got != want {
			t.Fatalf("references\n%q\nwant\n%q", got, want)
		}
	})
}
