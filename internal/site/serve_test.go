package site

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	dir := buildFixture(t)
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	tests := []struct {
		path, contains, ctype string
		status                int
	}{
		{"/", "All advisories", "text/html; charset=utf-8", 200},
		{"/index.html", "All advisories", "text/html; charset=utf-8", 200},
		{"/advisory/PSF-2024-3.html", "Quadratic complexity", "text/html; charset=utf-8", 200},
		{"/advisory-database/advisory/PSF-2024-3.html", "Quadratic complexity", "text/html; charset=utf-8", 200},
		{"/advisory-database/assets/style.css", "--accent", "text/css; charset=utf-8", 200},
		{"/feed.xml", "<feed", "application/atom+xml; charset=utf-8", 200},
		{"/search-index.json", `"format":2`, "application/json", 200},
		{"/nope/deeper/page.html", "Page not found", "text/html; charset=utf-8", 404},
		{"/advisory/", "Page not found", "text/html; charset=utf-8", 404},
		{"/../../etc/passwd", "Page not found", "text/html; charset=utf-8", 404},
		{"/%2e%2e/%2e%2e/etc/passwd", "Page not found", "text/html; charset=utf-8", 404},
	}
	for _, tt := range tests {
		resp, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s: status %d, want %d", tt.path, resp.StatusCode, tt.status)
		}
		if got := resp.Header.Get("Content-Type"); got != tt.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.path, got, tt.ctype)
		}
		if !strings.Contains(string(body), tt.contains) {
			t.Errorf("GET %s: body lacks %q", tt.path, tt.contains)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", resp.StatusCode)
	}
}

func TestHandlerMissingSite(t *testing.T) {
	_, err := Handler(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "advisory build") {
		t.Fatalf("Handler on an empty directory: %v, want an error that says to build first", err)
	}
}

func TestEmptyDatabase(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if err := Write(root, nil, fixtureConfig()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{IndexPage, FeedFile, SearchIndex, NotFound, Favicon, "assets/app.js"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("empty database: %v", err)
		}
	}
	idx, _ := os.ReadFile(filepath.Join(dir, IndexPage))
	if !strings.Contains(string(idx), "0 advisories") {
		t.Error("empty index does not say 0 advisories")
	}
}

func TestBadBaseURL(t *testing.T) {
	root, err := os.OpenRoot(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for _, u := range []string{"javascript:alert(1)", "/relative/", "https://user:pw@example.org/", "ftp://example.org/"} {
		err := WriteOptions(root, nil, fixtureConfig(), Options{BaseURL: u})
		if err == nil || !strings.Contains(err.Error(), "want an absolute https URL") {
			t.Errorf("base URL %q: err = %v", u, err)
		}
	}
}
