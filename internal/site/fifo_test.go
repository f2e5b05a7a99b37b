package site

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServeRefusesFIFOs puts FIFOs where the server reads files (the feed
// it reads at start, a page, the 404 page): it must neither hang (a
// regression hangs until the test binary's -timeout) nor serve them.
func TestServeRefusesFIFOs(t *testing.T) {
	dir := buildFixture(t)
	for _, name := range []string{FeedFile, "advisory/fifo.html", "assets/pipe"} {
		p := filepath.Join(dir, name)
		os.Remove(p)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/feed.xml", "/advisory/fifo.html", "/assets/pipe", "/advisory/PSF-2024-3.html"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		want := http.StatusNotFound
		if strings.HasPrefix(path, "/advisory/PSF") {
			want = http.StatusOK
		}
		if rec.Code != want {
			t.Errorf("GET %s: status %d, want %d", path, rec.Code, want)
		}
	}
	// The 404 page itself a FIFO: a plain 404, no hang.
	nf := filepath.Join(dir, NotFound)
	os.Remove(nf)
	if err := syscall.Mkfifo(nf, 0o644); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/missing", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /missing with a FIFO 404 page: status %d", rec.Code)
	}
}
