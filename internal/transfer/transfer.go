// Package transfer adds to a static file handler what a server sends beside
// the bytes: gzip content encoding for text a client accepts it for, and a
// Cache-Control header. The preview server (`advisory serve`) uses it, so a
// preview measures what a well-configured static host sends.
package transfer

import (
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
)

// CacheControl is sent with every response that sets none: a rebuilt site
// replaces files under the same names (no content hashes in them), so a
// browser may keep a copy but asks whether it is current (Last-Modified).
const CacheControl = "no-cache"

// MinSize is the smallest body worth compressing.
const MinSize = 512

// Wrap returns h with gzip encoding and Cache-Control.
func Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", CacheControl)
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r) || r.Header.Get("Range") != "" {
			h.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w, head: r.Method == http.MethodHead}
		defer gw.close()
		h.ServeHTTP(gw, r)
	})
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip
// (with a non-zero quality).
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// compressible reports whether a content type is text worth compressing
// (zip archives and images are compressed already).
func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	switch {
	case strings.HasPrefix(ct, "text/"):
		return true
	case ct == "application/json", ct == "application/xml", ct == "application/atom+xml",
		ct == "application/javascript", ct == "image/svg+xml", strings.HasSuffix(ct, "+json"):
		return true
	}
	return false
}

var gzipPool = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// gzipWriter compresses the body when the response turns out to be
// compressible text of at least MinSize bytes (or of unknown size).
type gzipWriter struct {
	http.ResponseWriter
	head    bool
	decided bool
	gz      *gzip.Writer
}

func (g *gzipWriter) WriteHeader(status int) {
	if !g.decided {
		g.decide(status)
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipWriter) decide(status int) {
	g.decided = true
	h := g.Header()
	if status < 200 || status == http.StatusNoContent || status == http.StatusNotModified ||
		h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) || small(h.Get("Content-Length")) {
		return
	}
	h.Del("Content-Length")
	h.Del("Accept-Ranges")
	h.Set("Content-Encoding", "gzip")
	if !g.head {
		g.gz = gzipPool.Get().(*gzip.Writer)
		g.gz.Reset(g.ResponseWriter)
	}
}

// small reports whether a known length is under MinSize.
func small(length string) bool {
	if length == "" {
		return false
	}
	n := 0
	for _, c := range length {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
		if n >= MinSize {
			return false
		}
	}
	return true
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.decided {
		g.WriteHeader(http.StatusOK)
	}
	if g.gz == nil {
		return g.ResponseWriter.Write(b)
	}
	return g.gz.Write(b)
}

func (g *gzipWriter) close() {
	if g.gz == nil {
		return
	}
	g.gz.Close()
	g.gz.Reset(nil)
	gzipPool.Put(g.gz)
	g.gz = nil
}
