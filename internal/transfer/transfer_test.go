package transfer

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWrap(t *testing.T) {
	dir := t.TempDir()
	page := "<!doctype html><title>x</title>" + strings.Repeat("<p>advisory</p>", 100)
	files := map[string]string{"page.html": page, "small.css": "body{}", "all.zip": strings.Repeat("PK", 400), "feed.xml": strings.Repeat("<entry/>", 100)}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inner := http.FileServer(http.Dir(dir))
	gone := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, page)
	})
	mux := http.NewServeMux()
	mux.Handle("/", inner)
	mux.Handle("/gone", gone)
	h := Wrap(mux)
	for _, tc := range []struct {
		name, method, path string
		header             map[string]string
		gzip               bool
		cache              string
		status             int
		want               string // body after decoding ("" for none)
	}{
		{"html, gzip accepted", "GET", "/page.html", map[string]string{"Accept-Encoding": "br, gzip"}, true, "no-cache", 200, page},
		{"html, no gzip", "GET", "/page.html", nil, false, "no-cache", 200, page},
		{"gzip refused by q=0", "GET", "/page.html", map[string]string{"Accept-Encoding": "gzip;q=0"}, false, "no-cache", 200, page},
		{"feed", "GET", "/feed.xml", map[string]string{"Accept-Encoding": "gzip"}, true, "no-cache", 200, files["feed.xml"]},
		{"zip is not compressed again", "GET", "/all.zip", map[string]string{"Accept-Encoding": "gzip"}, false, "no-cache", 200, files["all.zip"]},
		{"small file", "GET", "/small.css", map[string]string{"Accept-Encoding": "gzip"}, false, "no-cache", 200, "body{}"},
		{"range", "GET", "/page.html", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-9"}, false, "no-cache", 206, page[:10]},
		{"head", "HEAD", "/page.html", map[string]string{"Accept-Encoding": "gzip"}, true, "no-cache", 200, ""},
		{"not modified", "GET", "/page.html", map[string]string{"Accept-Encoding": "gzip", "If-Modified-Since": time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}, false, "no-cache", 304, ""},
		{"404 keeps its no-store", "GET", "/gone", map[string]string{"Accept-Encoding": "gzip"}, true, "no-store", 404, page},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			if got := res.Header.Get("Cache-Control"); got != tc.cache {
				t.Errorf("Cache-Control %q, want %q", got, tc.cache)
			}
			encoded := res.Header.Get("Content-Encoding") == "gzip"
			if encoded != tc.gzip {
				t.Fatalf("gzip %v, want %v (headers %v)", encoded, tc.gzip, res.Header)
			}
			if tc.header["Accept-Encoding"] != "" && !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("no Vary: Accept-Encoding")
			}
			body, _ := io.ReadAll(res.Body)
			if encoded && len(body) > 0 {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				if res.Header.Get("Content-Length") != "" {
					t.Error("a gzip response keeps the plain Content-Length")
				}
			}
			if string(body) != tc.want {
				t.Errorf("body %.40q, want %.40q", body, tc.want)
			}
		})
	}
}
