package site

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// layoutShiftProbe runs before any page script (page.AddScriptToEvaluateOnNewDocument)
// and sums the Layout Instability API's layout-shift entries that no user
// input caused, as Cumulative Layout Shift counts them; it also keeps which
// nodes moved, for the failure message.
const layoutShiftProbe = `
window.__layoutShift = 0;
window.__layoutShiftNodes = [];
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) {
      if (e.hadRecentInput) { return; }
      window.__layoutShift += e.value;
      (e.sources || []).forEach(function (s) {
        var n = s.node;
        window.__layoutShiftNodes.push(n ? (n.nodeName + (n.id ? '#' + n.id : '') + (n.className ? '.' + String(n.className).split(' ').join('.') : '')) : '?');
      });
    });
  }).observe({ type: 'layout-shift', buffered: true });
} catch (err) {
  window.__layoutShift = -1;
}
`

// TestBrowserLayoutShift loads the index, an advisory page and the checker
// with a result showing (the shareable ?product=…&version=… address) at
// desktop and phone widths, and fails on any layout shift: the page
// reserves the space of everything the script shows, so nothing moves
// after the first paint.
func TestBrowserLayoutShift(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	_, h := servedFixture(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t)

	pages := []struct {
		name, path string
		ready      string
	}{
		{"index", "/index.html", "html[data-js]"},
		{"advisory", "/advisory/PSF-2025-1.html", "h1"},
		{"checker", "/index.html?product=python&version=3.12.4#check", "#check-result .msg.is-affected"},
		{"checker not affected", "/index.html?product=python&version=3.12.6#check", "#check-result .msg.is-clear, #check-result .msg.is-unknown"},
	}
	widths := []struct {
		name   string
		metric emulation.SetDeviceMetricsOverrideParams
	}{
		{"1280px", emulation.SetDeviceMetricsOverrideParams{Width: 1280, Height: 900, DeviceScaleFactor: 1}},
		{"390px", emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 2, Mobile: true}},
	}
	for _, w := range widths {
		for _, p := range pages {
			t.Run(w.name+" "+p.name, func(t *testing.T) {
				b.do(t, "load", call(emulation.SetDeviceMetricsOverride, w.metric),
					chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(css(p.ready)),
					chromedp.Sleep(300*time.Millisecond)) // layout-shift entries arrive after the frame
				shift := eval[float64](t, b, `window.__layoutShift`)
				if shift < 0 {
					t.Fatal("this Chromium has no Layout Instability API (PerformanceObserver 'layout-shift')")
				}
				if shift > 0 {
					nodes := eval[[]string](t, b, `window.__layoutShiftNodes`)
					t.Errorf("layout shift %s, want 0; moved: %v", fmt.Sprint(shift), nodes)
				}
			})
		}
	}
	b.do(t, "desktop", call(emulation.ClearDeviceMetricsOverride, cdp.Empty{}))
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("console errors or CSP violations: %v", errs)
	}
}

// TestBrowserLayoutShiftScroll scrolls a full index page (its rows are laid
// out only when they come near the screen, with an estimated size until
// then) from top to bottom and back, at desktop and phone widths: rows
// must take their real size before they are seen, so nothing on screen
// moves.
func TestBrowserLayoutShiftScroll(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir, _ := writeGenerated(t, DefaultPageSize+5)
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t)
	const scroll = `new Promise(function (done) {
  var frames = function (n, f) { return n ? requestAnimationFrame(function () { frames(n - 1, f); }) : f(); };
  var step = Math.round(innerHeight / 3), down = true;
  (function next() {
    var max = document.documentElement.scrollHeight - innerHeight;
    if (down && scrollY >= max) { down = false; }
    if (!down && scrollY <= 0) { return frames(3, done); }
    scrollBy(0, down ? step : -step);
    frames(2, next);
  })();
})`
	for _, w := range []emulation.SetDeviceMetricsOverrideParams{
		{Width: 1280, Height: 900, DeviceScaleFactor: 1},
		{Width: 390, Height: 844, DeviceScaleFactor: 2, Mobile: true},
	} {
		t.Run(fmt.Sprintf("%dpx", w.Width), func(t *testing.T) {
			b.do(t, "load", call(emulation.SetDeviceMetricsOverride, w),
				chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitVisible(css("html[data-js]")))
			if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](scroll, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatalf("scrolling: %v", err)
			}
			b.do(t, "settle", chromedp.Sleep(300*time.Millisecond))
			if shift := eval[float64](t, b, `window.__layoutShift`); shift != 0 {
				t.Errorf("layout shift while scrolling %s, want 0; moved: %v", fmt.Sprint(shift), eval[[]string](t, b, `window.__layoutShiftNodes`))
			}
		})
	}
	b.do(t, "desktop", call(emulation.ClearDeviceMetricsOverride, cdp.Empty{}))
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("console errors or CSP violations: %v", errs)
	}
}

// TestBrowserScrollbarGutter checks that the page's width does not depend
// on its height: a long page painted before it is fully parsed gains a
// scrollbar only once its content outgrows the window, and without a
// reserved gutter everything centred would move sideways then (Lighthouse
// saw 0.004 on a 10,000-advisory build's advisory page). It measures where
// the centred content starts with short and with tall content at desktop
// width, in a browser that draws scrollbars.
func TestBrowserScrollbarGutter(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	_, h := servedFixture(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t)
	b.do(t, "load", call(emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 1280, Height: 900, DeviceScaleFactor: 1}),
		chromedp.Navigate(srv.URL+"/advisory/PSF-2025-1.html"), chromedp.WaitVisible(css("h1")))
	lefts := eval[[]float64](t, b, `(function () {
  var main = document.querySelector('main');
  document.body.style.height = '100px';
  document.body.style.overflow = 'hidden';
  main.style.maxHeight = '50px';
  var short = main.getBoundingClientRect().left;
  var shortWidth = document.documentElement.clientWidth;
  main.style.maxHeight = '';
  document.body.style.overflow = '';
  document.body.style.height = '5000px';
  var tall = main.getBoundingClientRect().left;
  return [short, tall, window.innerWidth - document.documentElement.clientWidth, shortWidth];
})()`)
	short, tall, bar := lefts[0], lefts[1], lefts[2]
	if bar == 0 {
		t.Skip("this Chromium draws overlay scrollbars (no width): nothing to reserve")
	}
	if short != tall {
		t.Errorf("the content starts at %v px with short content and at %v px with tall content (scrollbar %v px, root width %v px short); want the scrollbar's gutter reserved (html { scrollbar-gutter: stable })", short, tall, bar, lefts[3])
	}
	b.do(t, "desktop", call(emulation.ClearDeviceMetricsOverride, cdp.Empty{}))
}

// trickled serves the HTML page at path (read from dir) through its site
// header in one piece, then the rest in pieces of chunk bytes, each
// flushed and followed by a pause, and everything else from next: the
// browser paints the page while it is still being parsed, as it does on a
// slow connection, with part of a table, a grid or a row of fields
// present and the rest still to come. (The header is the first kilobyte
// or two of the body: it always comes in a connection's first window.)
func trickled(t *testing.T, dir, path string, chunk int, pause time.Duration, next http.Handler) http.Handler {
	t.Helper()
	page, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	first := bytes.Index(page, []byte("</header>"))
	if first < 0 {
		t.Fatalf("%s has no </header>", path)
	}
	var pieces [][]byte
	for at := first; at < len(page); at += chunk {
		pieces = append(pieces, page[at:min(at+chunk, len(page))])
	}
	pieces[0] = page[:min(first+chunk, len(page))]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		for _, p := range pieces {
			w.Write(p)
			w.(http.Flusher).Flush()
			time.Sleep(pause)
		}
	})
}

// TestBrowserLayoutShiftMidParse loads the index and an advisory page
// delivered in pieces, with pauses the browser paints in, at desktop and
// phone widths: nothing painted may move when the rest of the page
// arrives. (A flex row whose search field grew into the place of the
// choices not yet parsed, a grid whose facts widened while they were
// fewer and a table whose columns took the widths of its first rows all
// moved, and TestBrowserLayoutShift saw it only when the machine was slow
// enough to paint a page before it was parsed.)
func TestBrowserLayoutShiftMidParse(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir, h := servedFixture(t)
	b := newBrowser(t)
	for _, p := range []struct{ path, ready string }{
		{"/index.html", "html[data-js]"},
		{"/advisory/PSF-2025-1.html", "footer"},
	} {
		srv := httptest.NewServer(trickled(t, dir, p.path, 250, 60*time.Millisecond, h))
		for _, w := range []emulation.SetDeviceMetricsOverrideParams{
			{Width: 1280, Height: 900, DeviceScaleFactor: 1},
			{Width: 390, Height: 844, DeviceScaleFactor: 2, Mobile: true},
		} {
			t.Run(fmt.Sprintf("%s %dpx", p.path, w.Width), func(t *testing.T) {
				b.do(t, "load", call(emulation.SetDeviceMetricsOverride, w),
					chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(css(p.ready)),
					chromedp.Sleep(300*time.Millisecond))
				if shift := eval[float64](t, b, `window.__layoutShift`); shift != 0 {
					t.Errorf("layout shift %s while the page arrived, want 0; moved: %v", fmt.Sprint(shift), eval[[]string](t, b, `window.__layoutShiftNodes`))
				}
			})
		}
		srv.Close()
	}
	b.do(t, "desktop", call(emulation.ClearDeviceMetricsOverride, cdp.Empty{}))
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("console errors or CSP violations: %v", errs)
	}
}
