// Package site renders the static web site of the advisory database: an
// index page with filters and a version checker, one page per advisory, an
// Atom feed, a 404 page, the assets and a compact JSON index, all inside the
// build's output root.
package site

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	assets "github.com/psf/advisory-builder/site"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/outfile"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/workpool"
)

// DefaultBaseURL is where the site is published unless Options.BaseURL says
// otherwise. Pages link relatively; only the feed and the 404 page use it.
const DefaultBaseURL = "https://psf.github.io/advisory-database/"

// Paths the site writes under the output root (besides assets/).
const (
	IndexPage   = "index.html"
	NotFound    = "404.html"
	FeedFile    = "feed.xml"
	SearchIndex = "search-index.json"
	AdvisoryDir = "advisory"
	AssetsDir   = "assets"
	Favicon     = "favicon.ico" // also at the root: browsers ask for /favicon.ico
)

// Options tune the site. The zero value is valid.
type Options struct {
	// BaseURL is the absolute https URL the site is served from, ending in
	// "/". The Atom feed needs absolute links, and the 404 page (served at
	// any depth) links its assets by this URL's path. Default DefaultBaseURL.
	BaseURL string
	// FeedEntries caps the number of entries in the feed (default 50).
	FeedEntries int
	// PageSize is the number of advisories per index page (default
	// DefaultPageSize).
	PageSize int
	// Hashes, when set, is told the bytes of each file written whole, by
	// its slash path under the root (bundle.Hashes, for SHA256SUMS).
	Hashes FileHashes
}

// FileHashes records the bytes written to a file (a slash path under the
// output root) once they are written.
type FileHashes interface {
	Add(name string, data []byte)
}

func (o Options) withDefaults() (Options, error) {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(o.BaseURL, "/") {
		o.BaseURL += "/"
	}
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return o, fmt.Errorf("site base URL %q: want an absolute https URL such as %s", o.BaseURL, DefaultBaseURL)
	}
	if o.FeedEntries <= 0 {
		o.FeedEntries = 50
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	return o, nil
}

// WriteOptions renders the site into root: index.html, advisory/<ID>.html,
// feed.xml, 404.html, search-index.json and assets/.
//
// It checks every record first, then streams them through a Writer on
// every CPU.
func WriteOptions(root *os.Root, recs []*osv.Record, cfg product.Config, opts Options) error {
	if _, err := opts.withDefaults(); err != nil {
		return err
	}
	if _, err := buildSummaries(recs, cfg); err != nil {
		return err
	}
	w, err := NewWriter(root, cfg, opts)
	if err != nil {
		return err
	}
	defer w.Abort()
	err = workpool.Ordered(len(recs), workpool.CPUWorkers(), func(i int) (Entry, error) {
		return w.Page(recs[i])
	}, func(_ int, e Entry) error { return w.Add(e) })
	if err != nil {
		return err
	}
	return w.Close()
}

// Writer renders the site one advisory at a time: Page writes an
// advisory's page (on any goroutine) and Add keeps its light summary (on
// one goroutine); Close writes the index pages, the feed, the search index
// and the 404 page from the summaries.
//
// Memory: the site keeps one light summary per record (advSummary),
// packed into a byte arena without pointers until Close unpacks them
// (summaries); each advisory page's full view (Markdown, branch table,
// versions) exists only while a worker writes that page, and every file is
// written as soon as it is rendered. Of the Markdown sources it keeps only
// those of the feed's newest advisories.
type Writer struct {
	root   *os.Root
	cfg    product.Config
	opts   Options
	tpl    *templates
	pages  writer // advisory/, resolved once rather than once per page
	orders *productOrders
	kept   *summaries    // every summary added, packed
	feed   []*advSummary // the newest FeedEntries so far, newest first, with their Markdown
	// products are those of the records added, when the configuration
	// is not given: the index and the search index list them.
	products product.Config
}

// Entry is one advisory whose page is written (Writer.Page).
type Entry struct{ s *advSummary }

// NewWriter starts the site inside root: it checks the options, parses
// the templates and writes the assets. cfg is the products configuration
// the index and the search index list; nil lists the products of the
// records added. Close or Abort must follow.
func NewWriter(root *os.Root, cfg product.Config, opts Options) (*Writer, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	tpl, err := loadTemplates()
	if err != nil {
		return nil, err
	}
	w := &Writer{root: root, cfg: cfg, opts: opts, tpl: tpl, orders: &productOrders{}, kept: newSummaries()}
	if cfg == nil {
		w.products = product.Config{}
	}
	top := writer{root: root, hashes: opts.Hashes}
	if err := top.copyAssets(); err != nil {
		return nil, err
	}
	dir, err := outfile.Open(root, AdvisoryDir, 0o755)
	if err != nil {
		return nil, fmt.Errorf("site: opening %s: %w", AdvisoryDir, err)
	}
	w.pages = writer{dir: dir, prefix: AdvisoryDir + "/", hashes: opts.Hashes} // one directory lookup, not one per page
	return w, nil
}

// Page writes advisory/<ID>.html of one record, building the page's view
// just in time, and returns the advisory's summary for Add. Safe for
// concurrent use.
func (w *Writer) Page(r *osv.Record) (Entry, error) {
	s, err := newSummary(r, w.cfg, w.orders)
	if err != nil {
		return Entry{}, err
	}
	if err := w.pages.advisoryPage(w.tpl.advisory, s); err != nil {
		return Entry{}, err
	}
	s.rec = nil
	return Entry{s}, nil
}

// advisoryPage writes one advisory's page.
func (w *writer) advisoryPage(t pageTemplate, s *advSummary) error {
	v := s.view()
	return w.page(t, v.ID+".html", pageData{
		Root: "../", Title: v.ID + ": " + v.Title, Description: v.Title, Page: v,
	})
}

// Add keeps the summary of an advisory whose page is written, for the
// index pages, the feed and the search index. Each ID comes once.
func (w *Writer) Add(e Entry) error {
	s := e.s
	if w.kept.has(s.ID) {
		return fmt.Errorf("site: duplicate advisory ID %q", s.ID)
	}
	if err := w.kept.add(s); err != nil {
		return err
	}
	if w.products != nil {
		w.products[s.prod.Name] = s.prod
	}
	w.feed = feedRanks(w.feed, s, w.opts.FeedEntries)
	return nil
}

// Close writes the index pages, 404.html, feed.xml and search-index.json.
func (w *Writer) Close() error {
	defer w.Abort()
	cfg := w.cfg
	if cfg == nil {
		cfg = w.products
	}
	sums, err := w.summaries()
	if err != nil {
		return err
	}
	top := writer{root: w.root, hashes: w.opts.Hashes}
	// The index pages and the search index judge every advisory, through
	// one memoOrder per product.
	products := searchProducts(sums, cfg)
	orders := newJudgeOrders(sums, products)
	if err := top.indexPages(w.tpl.index, sums, cfg, w.opts.PageSize, orders); err != nil {
		return err
	}
	base, _ := url.Parse(w.opts.BaseURL)
	if err := top.page(w.tpl.notFound, NotFound, pageData{Root: base.Path, Title: "Page not found"}); err != nil {
		return err
	}
	feed, err := renderFeed(sums, w.opts)
	if err != nil {
		return err
	}
	if err := top.file(FeedFile, feed); err != nil {
		return err
	}
	return top.stream(SearchIndex, func(out io.Writer) error { return writeSearchIndexOf(out, sums, products, orders) })
}

// summaries unpacks every summary kept, newest first, those the feed
// shows with their Markdown sources.
func (w *Writer) summaries() ([]*advSummary, error) {
	sums, err := w.kept.unpack(w.orders)
	if err != nil {
		return nil, err
	}
	w.kept = newSummaries()
	markdown := make(map[string]string, len(w.feed))
	for _, s := range w.feed {
		markdown[s.ID] = s.description
	}
	for _, s := range sums {
		s.description = markdown[s.ID]
	}
	sortNewestFirst(sums)
	return sums, nil
}

// Abort closes what the writer holds open; the site is incomplete unless
// Close succeeded.
func (w *Writer) Abort() {
	if w.pages.dir != nil {
		w.pages.dir.Close()
		w.pages.dir = nil
	}
}

// feedRanks keeps the n newest summaries (newest first) with their
// Markdown sources, s among them if it ranks; every summary that does not
// rank, or no longer does, lets its source go.
func feedRanks(feed []*advSummary, s *advSummary, n int) []*advSummary {
	i := sort.Search(len(feed), func(i int) bool { return newer(s, feed[i]) })
	if i >= n {
		s.description = ""
		return feed
	}
	feed = slices.Insert(feed, i, s)
	if len(feed) > n {
		feed[n].description = ""
		feed = feed[:n]
	}
	return feed
}

// indexPages writes index.html, index-2.html, ….
// The pages are independent (each its own rows), so they are rendered on
// every CPU: at 100,000 advisories they were most of the site's close.
func (w *writer) indexPages(t pageTemplate, views []*advSummary, cfg product.Config, size int, orders judgeOrders) error {
	pages := newIndexView(views, cfg).pages(size)
	return workpool.Each(len(pages), workpool.CPUWorkers(), func(i int) error {
		pv := pages[i]
		title := "Python security advisories"
		if pv.Page > 1 {
			title += " (page " + itoa(pv.Page) + " of " + itoa(pv.Pages) + ")"
		}
		return w.page(t, indexPageName(pv.Page), pageData{
			Root: "", Title: title, Script: true, Page: pv.withRows(orders),
			Description: "Security advisories for CPython and pip from the Python Security Response Team.",
		})
	})
}

// writer writes files inside root (or, for the advisory pages, dir: one
// directory, written with the fewest system calls), the directory prefix
// names under the output root, and tells hashes (when set) what it wrote;
// safe for concurrent use.
type writer struct {
	root   *os.Root
	dir    *outfile.Dir
	prefix string
	hashes FileHashes
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (w *writer) mkdir(dir string) error {
	if err := w.root.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return fmt.Errorf("site: creating %s: %w", dir, err)
	}
	return nil
}

func (w *writer) file(name string, data []byte) error {
	write := w.root.WriteFile
	if w.dir != nil {
		write = w.dir.WriteFile
	}
	if err := write(name, data, 0o644); err != nil {
		return fmt.Errorf("site: writing %s: %w", name, err)
	}
	if w.hashes != nil {
		w.hashes.Add(w.prefix+name, data)
	}
	return nil
}

// stream writes name through a buffer, for output too large to hold whole.
func (w *writer) stream(name string, write func(io.Writer) error) (err error) {
	f, err := w.root.Create(name)
	if err != nil {
		return fmt.Errorf("site: writing %s: %w", name, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("site: writing %s: %w", name, cerr)
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("site: writing %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("site: writing %s: %w", name, err)
	}
	return nil
}

func (w *writer) page(t pageTemplate, name string, d pageData) error {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	d.CSP = CSP
	if err := t.Execute(buf, d); err != nil {
		return fmt.Errorf("site: rendering %s: %w", name, err)
	}
	return w.file(name, buf.Bytes())
}

func (w *writer) copyAssets() error {
	if err := w.mkdir(AssetsDir); err != nil {
		return err
	}
	ico, err := fs.ReadFile(assets.FS, AssetsDir+"/"+Favicon)
	if err != nil {
		return err
	}
	if err := w.file(Favicon, ico); err != nil {
		return err
	}
	return fs.WalkDir(assets.FS, AssetsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(assets.FS, p)
		if err != nil {
			return err
		}
		return w.file(path.Join(AssetsDir, path.Base(p)), data)
	})
}
