package site

import (
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/psf/advisory-builder/internal/regularfile"
)

// Handler serves a built site from dir for local preview: files as they
// are, index.html for a directory, 404.html (status 404) for anything
// missing. Paths under the site's base URL path (read from feed.xml, so the
// 404 page's absolute links work) are served too. It never lists
// directories and never leaves dir.
func Handler(dir string) (http.Handler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("serving %s: %w (build the site first: advisory build --out %s)", dir, err, dir)
	}
	if _, err := root.Stat(IndexPage); err != nil {
		root.Close()
		return nil, fmt.Errorf("serving %s: no %s in it (build the site first: advisory build --out %s)", dir, IndexPage, dir)
	}
	return &server{root: root, base: basePath(root)}, nil
}

type server struct {
	root *os.Root
	base string // base URL path of the site, "/advisory-database/"; "" when "/"
}

// maxFeed bounds the feed basePath reads.
const maxFeed = 64 << 20

// basePath reads the feed's id to learn the path the site is published under.
func basePath(root *os.Root) string {
	data, err := regularfile.ReadIn(root, FeedFile, maxFeed)
	if err != nil {
		return ""
	}
	var f struct {
		ID string `xml:"id"`
	}
	if xml.Unmarshal(data, &f) != nil {
		return ""
	}
	u, err := url.Parse(f.ID)
	if err != nil {
		return ""
	}
	p := strings.TrimSuffix(u.Path, FeedFile)
	if p == "/" || !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/") {
		return ""
	}
	return p
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := path.Clean("/" + r.URL.Path)
	if s.base != "" && strings.HasPrefix(name+"/", s.base) {
		name = "/" + strings.TrimPrefix(name+"/", s.base)
		name = path.Clean(name)
	}
	if strings.HasSuffix(r.URL.Path, "/") || name == "/" {
		name = path.Join(name, IndexPage)
	}
	if s.serveFile(w, r, strings.TrimPrefix(name, "/"), http.StatusOK) {
		return
	}
	if s.serveFile(w, r, NotFound, http.StatusNotFound) {
		return
	}
	http.NotFound(w, r)
}

// serveFile writes the named file; false when it does not exist or is not
// a regular file.
func (s *server) serveFile(w http.ResponseWriter, r *http.Request, name string, status int) bool {
	if name == "" || !fs.ValidPath(name) {
		return false
	}
	if st, err := s.root.Stat(name); err == nil && st.IsDir() {
		return s.serveFile(w, r, path.Join(name, IndexPage), status)
	}
	f, st, err := regularfile.OpenIn(s.root, name) // a FIFO must not hang the server
	if err != nil {
		return false
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", contentType(name))
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasSuffix(name, ".html") {
		h.Set("Content-Security-Policy", CSP+"; frame-ancestors 'none'")
	}
	if status != http.StatusOK {
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			_, _ = io.Copy(w, f)
		}
		return true
	}
	http.ServeContent(w, r, name, st.ModTime(), f)
	return true
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".txt", "":
		return "text/plain; charset=utf-8"
	case ".xml":
		if path.Base(name) == FeedFile {
			return "application/atom+xml; charset=utf-8"
		}
		return "application/xml"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}
