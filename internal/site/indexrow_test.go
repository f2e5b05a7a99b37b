package site

import (
	"html/template"
	"strings"
	"testing"
)

// indexItemsAsTemplate is the range the index template had before
// writeIndexItem wrote its items: the reference the Go rendering is held
// to.
var indexItemsAsTemplate = template.Must(template.New("items").Parse(`{{range .}}<li class="adv{{if .Withdrawn}} is-withdrawn{{end}}" data-sev="{{.Severity}}" data-product="{{.Product}}" data-branches="{{.BranchKeys}}" data-q="{{.SearchText}}">
<div class="adv-meta"><span class="badge sev-{{.Severity}}">{{.SeverityLabel}}</span>{{if .Withdrawn}} <span class="badge badge-withdrawn">Withdrawn</span>{{end}}{{with .Platforms}} <span class="badge badge-platform">{{.}}</span>{{end}} <span class="adv-id">{{.ID}}</span>{{range .CVEs}} <span class="cve">{{.}}</span>{{end}} <span class="product">{{.ProductTitle}}</span> <time datetime="{{.Published}}">{{.PublishedDate}}</time></div>
<h3 class="adv-title"><a href="{{.Href}}">{{.Title}}</a></h3>
{{if .Components}}<p class="components">{{range .Components}}<code>{{.}}</code> {{end}}</p>
{{end}}<p class="fixes">{{if .Known}}{{if .Fixes}}<span class="fixes-label">Fixed in</span>{{range .Fixes}} <span class="fix{{if not .FixedIn}} unfixed{{end}}">{{if .FixedIn}}{{.FixedIn}}{{else}}{{.Branch}}: not fixed{{end}}</span>{{end}}{{else}}<span class="fixes-label">No affected branch</span>{{end}}{{else}}<span class="fixes-label">Affected versions not known yet</span>{{end}}</p>
</li>
{{end}}`))

func templateIndexItems(t testing.TB, rows []indexRow) string {
	t.Helper()
	var b strings.Builder
	if err := indexItemsAsTemplate.Execute(&b, rows); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func goIndexItems(rows []indexRow) string {
	var b strings.Builder
	for _, r := range rows {
		writeIndexItem(&b, r)
	}
	return b.String()
}

// TestIndexItemsAsTemplate: the index items of every fixture, hostile and
// generated advisory are what the template range wrote, and an index
// page's items are its rows'.
func TestIndexItemsAsTemplate(t *testing.T) {
	cfg := fixtureConfig()
	recs := append(append(fixtureRecords(cfg), xssRecords(cfg)...), generateRecords(cfg, 30)...)
	recs = append(recs, rootSilentRecord(cfg))
	sums, err := buildSummaries(recs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var rows []indexRow
	for _, s := range sums {
		rows = append(rows, newIndexRow(s, nil))
	}
	if got, want := goIndexItems(rows), templateIndexItems(t, rows); got != want {
		t.Errorf("items\n%s\nwant\n%s", got, want)
	}
	page := indexView{sums: sums}.withRows(nil)
	if got, want := string(page.Items), templateIndexItems(t, rows); got != want {
		t.Errorf("withRows items\n%s\nwant\n%s", got, want)
	}
}

// FuzzIndexItemsAsTemplate: for any values, an index item is what the
// template range wrote.
//
//	go test ./internal/site -run '^$' -fuzz FuzzIndexItemsAsTemplate -fuzztime 60s
func FuzzIndexItemsAsTemplate(f *testing.F) {
	for _, s := range pathological() {
		f.Add(s, "advisory/PSF-2024-1.html", true, uint8(0))
	}
	f.Add("", "javascript:alert(1)", false, uint8(1))
	f.Add("a+b", "https://x/%zz%41%4 é'\"<>", true, uint8(2))
	f.Add("\x00", "HTTPS://x/a b?c=d&e", true, uint8(3))
	f.Add("x", "/rel:ative", false, uint8(255))
	f.Fuzz(func(t *testing.T, text, href string, flag bool, mask uint8) {
		on := func(bit uint8, s string) string {
			if mask&(1<<bit) != 0 {
				return s
			}
			return ""
		}
		r := indexRow{
			ID: text, Title: text, Severity: text, SeverityLabel: text, Product: text, ProductTitle: text,
			Published: text, PublishedDate: text, Withdrawn: on(0, text), Platforms: on(1, text),
			Source: text, Known: flag, Href: href, BranchKeys: text, SearchText: href,
		}
		if mask&(1<<2) != 0 {
			r.CVEs = []string{text, href}
		}
		if mask&(1<<3) != 0 {
			r.Components = []string{href, text}
		}
		if mask&(1<<4) != 0 {
			r.Fixes = []fixView{{Branch: text, FixedIn: on(5, href)}, {Branch: href, FixedIn: on(6, text)}}
		}
		rows := []indexRow{r, {Href: text, Known: !flag}}
		if got, want := goIndexItems(rows), templateIndexItems(t, rows); got != want {
			t.Fatalf("items\n%q\nwant\n%q", got, want)
		}
	})
}
