package site

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserNoWorker loads a paged index in a browser without Web
// Workers: the page brings the search engine (search.js) in as a script
// and runs it itself, so the shared check (?product=…&version=…) answers
// and the filters search every advisory as they do with a worker.
func TestBrowserNoWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	const pageSize = 20
	const n = 2*pageSize + 5
	dir, _ := writeGeneratedOptions(t, n, Options{PageSize: pageSize})
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t)
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: `delete window.Worker;`}); err != nil {
		t.Fatal(err)
	}
	b.do(t, "load checker", chromedp.Navigate(srv.URL+"/index.html?product=python&version=3.12.4#check"),
		chromedp.WaitVisible(css("#check-result .msg.is-affected")))
	if got := eval[string](t, b, `typeof Worker`); got != "undefined" {
		t.Fatalf("typeof Worker = %q: the test did not take the workers away", got)
	}
	if msg := b.text(t, "#check-result .msg.is-affected"); !strings.HasPrefix(msg, "CPython 3.12.4 is affected by ") {
		t.Errorf("check 3.12.4 without a worker: %q", msg)
	}
	loaded := eval[[]string](t, b, `performance.getEntriesByType('resource').map(e => e.name.replace(/.*\//, '') + ' ' + e.initiatorType)`)
	for _, want := range []string{"app.js script", "search.js script", "search-index.json fetch"} {
		found := false
		for _, got := range loaded {
			found = found || got == want
		}
		if !found {
			t.Errorf("the page loaded %v; want %q (the page runs the search engine itself)", loaded, want)
		}
	}
	b.do(t, "filter", setField("#f-q", "module7 "), chromedp.WaitVisible(css("#results")))
	if got := b.text(t, "#f-count"); !strings.HasPrefix(got, "Showing 1 of 45") {
		t.Errorf("filter module7 without a worker: count %q, want 1 of 45", got)
	}
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("console errors or CSP violations: %v", errs)
	}
}
