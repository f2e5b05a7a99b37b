package site

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/psf/advisory-builder/internal/check"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/release"
	"github.com/psf/advisory-builder/internal/verdict"
	"github.com/psf/advisory-builder/internal/version"
)

// findChromium returns the browser to drive: $CHROMIUM, else chromium or
// chromium-browser on PATH. On a machine without one the browser tests
// skip, except under CI=true, where they fail.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found: install Debian's chromium (sudo .ci/chromium, or apt-get install -y chromium) " +
		"or set CHROMIUM=/path/to/chrome, then run: go test ./internal/site -run Browser"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// screenshotDir is $SITE_SCREENSHOTS when set, else the test's artifact
// directory (kept with go test -artifacts -outputdir DIR).
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("SITE_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.ArtifactDir()
}

// browser starts a fresh headless Chromium and records console errors,
// exceptions and CSP violations of every page it loads.
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

// cspProbe reports every CSP violation on the console, where the test sees it.
const cspProbe = `document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
});`

func newBrowser(t *testing.T) *browser {
	exe := findChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Headless hides scrollbars; a user's browser (and Lighthouse's)
		// draws them, and a scrollbar that appears mid-load moves the page.
		chromedp.Flag("hide-scrollbars", false),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	b := &browser{ctx: ctx}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe + layoutShiftProbe}); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || m.Source == "security" {
				b.add(fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
			}
		}
	}()
	return b
}

func (b *browser) add(s string) {
	b.mu.Lock()
	b.errors = append(b.errors, s)
	b.mu.Unlock()
}

// takeErrors returns and clears what was recorded.
func (b *browser) takeErrors() []string {
	time.Sleep(100 * time.Millisecond) // let the last messages arrive
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.errors
	b.errors = nil
	return e
}

func (b *browser) do(t *testing.T, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	start := time.Now()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Logf("%s: slow step, %v", step, d)
	}
}

// call runs a DevTools protocol command as a step.
func call[P, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Call(ctx, cmd, params)
		return chromedp.Void{}, err
	}
}

// follow clicks a link and waits for the page it opens to load.
func (b *browser) follow(t *testing.T, sel string) {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(css(sel)))); err != nil {
		t.Fatalf("following %s: %v", sel, err)
	}
}

func (b *browser) screenshot(t *testing.T, dir, name string) {
	t.Helper()
	start := time.Now()
	defer func() {
		if d := time.Since(start); d > 2*time.Second {
			t.Logf("screenshot %s: slow, %v", name, d)
		}
	}()
	// Full pages, unless very tall: then what a reader sees first.
	shot := chromedp.FullScreenshot(100)
	if eval[bool](t, b, `document.documentElement.scrollHeight > 6000`) {
		shot = chromedp.CaptureScreenshot()
	}
	png, err := chromedp.Run(b.ctx, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("reading %s: %v", sel, err)
	}
	return s
}

func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// setField sets a form control's value and fires the events a person's
// typing or choosing would.
func setField(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function(){var e=document.querySelector(%q);e.value=%q;`+
		`e.dispatchEvent(new Event('input',{bubbles:true}));e.dispatchEvent(new Event('change',{bubbles:true}));})()`, sel, value))
}

// visibleIDs lists the IDs of the advisories the index shows.
func (b *browser) visibleIDs(t *testing.T) []string {
	t.Helper()
	// Filters apply on the next animation frame: read after two.
	ids, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() =>
  r(Array.from(document.querySelectorAll('#advisories > li:not([hidden]) .adv-id')).map(e => e.textContent)))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("listing visible advisories: %v", err)
	}
	return ids
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

const overflowJS = `document.documentElement.scrollWidth > window.innerWidth + 1`

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir, h := servedFixture(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	shots := screenshotDir(t)
	b := newBrowser(t)

	b.do(t, "load index", chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitReady(css("html[data-js]")))
	b.screenshot(t, shots, "index")
	if got := b.visibleIDs(t); len(got) != 6 {
		t.Errorf("index shows %v, want all 6 advisories", got)
	}

	t.Run("filter", func(t *testing.T) {
		checkFilter := func(field, value string, want ...string) {
			t.Helper()
			b.do(t, "filter "+field, setField(field, value))
			got := b.visibleIDs(t)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("filter %s=%q shows %v, want %v", field, value, got, want)
			}
			b.do(t, "reset "+field, setField(field, ""))
		}
		checkFilter("#f-q", "tarfile", "PSF-2024-3")
		checkFilter("#f-q", "cve-2025-1795", "PSF-2025-1")
		checkFilter("#f-q", "email folding", "PSF-2025-1")
		checkFilter("#f-sev", "low", "PSF-2025-1", "PSF-2024-9", "PSF-2023-7")
		checkFilter("#f-branch", "3.11", "PSF-2025-1", "PSF-2024-3", "PSF-2024-9")
		checkFilter("#f-product", "pip", "PSF-2023-7")
		checkFilter("#f-q", "no such thing")
		b.do(t, "filter none", setField("#f-q", "zzz"), chromedp.WaitVisible(css("#f-none")))
		if got := b.text(t, "#f-count"); got != "Showing 0 of 6 advisories" {
			t.Errorf("count = %q", got)
		}
		b.do(t, "reset", setField("#f-q", ""))
	})

	t.Run("version checker", func(t *testing.T) {
		check := func(product, version, wantClass, wantText string, wantIDs ...string) {
			t.Helper()
			b.do(t, "check "+version,
				setField("#check-product", product), setField("#check-version", version),
				chromedp.Click(css("#checker button")),
				chromedp.WaitVisible(css("#check-result .msg."+wantClass)))
			res := b.text(t, "#check-result")
			if !strings.Contains(res, wantText) {
				t.Errorf("check %s %s: result %q lacks %q", product, version, res, wantText)
			}
			ids := eval[[]string](t, b, `Array.from(document.querySelectorAll('#check-result > ul:first-of-type .adv-id')).map(e => e.textContent)`)
			if (wantClass == "is-affected" || len(wantIDs) > 0) && strings.Join(ids, " ") != strings.Join(wantIDs, " ") {
				t.Errorf("check %s %s: affected %v, want %v", product, version, ids, wantIDs)
			}
		}
		// affected, with the unknown PSF-2025-2 listed apart; PSF-2024-9
		// judged from its authored releases
		check("python", "3.12.4", "is-affected", "Fixed in 3.12.5", "PSF-2025-1", "PSF-2024-3", "PSF-2024-9")
		b.screenshot(t, shots, "checker-affected")
		if res := b.text(t, "#check-result"); !strings.Contains(res, "Fixed in 3.12.6") || !strings.Contains(res, "Cannot tell") ||
			!strings.Contains(res, "PSF-2025-2") || !strings.Contains(res, "from the advisory’s stated releases") {
			t.Errorf("3.12.4 result %q: want the 3.12.6 fix, the source of PSF-2024-9 and PSF-2025-2 under Cannot tell", res)
		}
		if res := b.text(t, "#check-result"); !strings.Contains(strings.ToLower(res), "windows only") { // the badge is upper case
			t.Errorf("3.12.4 result %q: want PSF-2025-1 marked Windows only", res)
		}
		// an end-of-life branch: no fix will come, but the branch's own fix
		// (PSF-2024-9 in 3.8.20) is still named
		check("python", "3.8.19", "is-affected", "CPython 3.8 is end-of-life: no fix will come to it", "PSF-2024-9")
		if res := b.text(t, "#check-result"); !strings.Contains(res, "Fixed in 3.8.20") {
			t.Errorf("3.8.19 result %q: want the 3.8 fix of PSF-2024-9", res)
		}
		// not affected by any advisory with data, but PSF-2025-2 has none:
		// never the green all-clear
		check("python", "3.12.6", "is-unknown", "Cannot tell whether CPython 3.12.6 is affected: 1 advisory has no version data")
		if res := b.text(t, "#check-result"); !strings.Contains(res, "PSF-2025-2") || strings.Contains(res, "No advisory in this database affects") {
			t.Errorf("3.12.6 result %q: want PSF-2025-2 named and no all-clear", res)
		}
		if n := eval[int](t, b, `document.querySelectorAll('#check-result .msg.is-clear').length`); n != 0 {
			t.Errorf("3.12.6: %d green all-clear messages while an advisory is unknown", n)
		}
		b.screenshot(t, shots, "checker-unknown")
		check("python", "Python 3.11.4", "is-affected", "Not fixed yet on 3.11", "PSF-2025-1", "PSF-2024-3", "PSF-2024-9")
		check("python", "3.13.0rc1", "is-affected", "Fixed in 3.13.0", "PSF-2024-3", "PSF-2024-9")
		// rc2 fixes PSF-2024-9 (authored); PSF-2024-3's lock predates it
		check("python", "3.13.0rc2", "is-affected", "Fixed in 3.13.0", "PSF-2024-3")
		// authored "0" to 3.8.20: a known release judged by the stated ranges
		// (CVE-2024-7592)
		check("python", "3.8.19", "is-affected", "Fixed in 3.8.20", "PSF-2024-9")
		check("python", "3.7.3", "is-affected", "Fixed in 3.8.20", "PSF-2024-9")
		check("python", "3.11.10", "is-affected", "Not fixed yet on 3.11", "PSF-2025-1")
		// not a release: cannot tell, never judged by other rules
		check("python", "3.12.99", "is-unknown", "is not a known release of CPython")
		check("python", "3.11.11", "is-affected", "Not fixed yet on 3.11", "PSF-2025-1")
		check("python", "3.x", "is-error", "is not a version number")
		check("python", "", "is-error", "Type a version")
		check("python", "Python 3.14.0a1+ (heads/main:abc)", "is-error", "development build")
		check("pip", "23.1", "is-affected", "Fixed in 23.3", "PSF-2023-7")
		check("pip", "23.3", "is-clear", "No advisory in this database affects pip 23.3")
		check("pip", "23.0.1", "is-affected", "Fixed in 23.3", "PSF-2023-7")
		check("pip", "99.0", "is-unknown", "newer than every release this database knows")
		// versions with no release tag are not known releases: cannot tell,
		// as advisory check says
		check("pip", "0.2", "is-unknown", "is not a known release of pip")
		check("pip", "23.3.post1", "is-unknown", "is not a known release of pip")
		b.screenshot(t, shots, "checker-clear")
	})

	t.Run("pasted", func(t *testing.T) {
		// What `python -VV` and `pip --version` print selects the product.
		paste := func(selected, input, wantProduct, wantText string, wantIDs ...string) {
			t.Helper()
			b.do(t, "paste "+input,
				setField("#check-product", selected), setField("#check-version", input),
				chromedp.Click(css("#checker button")),
				chromedp.WaitVisible(css("#check-result .msg.is-affected")))
			if got := eval[string](t, b, `document.getElementById('check-product').value`); got != wantProduct {
				t.Errorf("paste %q: product %q, want %q", input, got, wantProduct)
			}
			if res := b.text(t, "#check-result"); !strings.Contains(res, wantText) {
				t.Errorf("paste %q: result %q lacks %q", input, res, wantText)
			}
			ids := eval[[]string](t, b, `Array.from(document.querySelectorAll('#check-result > ul:first-of-type .adv-id')).map(e => e.textContent)`)
			if strings.Join(ids, " ") != strings.Join(wantIDs, " ") {
				t.Errorf("paste %q: affected %v, want %v", input, ids, wantIDs)
			}
		}
		paste("pip", "Python 3.12.4 (main, Jun  6 2024, 18:26:44) [GCC 11.4.0]", "python",
			"CPython 3.12.4 is affected by 3 advisories", "PSF-2025-1", "PSF-2024-3", "PSF-2024-9")
		b.screenshot(t, shots, "checker-python-vv")
		paste("python", "pip 23.2.1 from /usr/lib/python3/dist-packages/pip (python 3.11)", "pip",
			"pip 23.2.1 is affected by 1 advisory", "PSF-2023-7")
		b.screenshot(t, shots, "checker-pip-version")
	})

	t.Run("agrees with check", func(t *testing.T) {
		// The checker's answer for each input is advisory check's: the same
		// outcome, affected IDs and unknown IDs, on the fixture records and
		// one whose facts skip the stable 3.11 that introduced "0" reaches.
		cfg := fixtureConfig()
		recs := append(fixtureRecords(cfg), rootSilentRecord(cfg))
		lists := withReleaseLists(t, recs, cfg)
		entries := check.FromRecords(recs)
		h, err := Handler(buildSite(t, recs, cfg))
		if err != nil {
			t.Fatal(err)
		}
		more := httptest.NewServer(h)
		defer more.Close()
		b.do(t, "load the larger index", chromedp.Navigate(more.URL+"/index.html"), chromedp.WaitReady(css("html[data-js]")))
		defer b.do(t, "back to the fixture", chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitReady(css("html[data-js]")))
		outcome := map[string]verdict.Outcome{"is-affected": verdict.Affected, "is-unknown": verdict.CannotTell, "is-clear": verdict.NotAffected}
		for _, in := range []struct{ product, input string }{
			{"python", "3.7.3"}, {"python", "3.8.19"}, {"python", "3.8.20"}, {"python", "3.11.0"}, {"python", "3.11.9"},
			{"python", "3.11.10"}, {"python", "3.11.11"}, {"python", "3.12.0"}, {"python", "3.12.5"}, {"python", "3.12.6"},
			{"python", "3.12.7"}, {"python", "3.13.0a1"}, {"python", "3.13.0rc1"}, {"python", "3.13.0rc2"}, {"python", "3.13.0"},
			{"python", "3.13.1"}, {"python", "3.14.0"}, {"python", "v2.7"},
			{"python", "3.10.4"}, {"python", "3.9.1"}, // PSF-2024-9's facts skip 3.9 and 3.10: cannot tell
			{"python", "3.11.2"}, // PSF-2024-21 (introduced "0", facts for 3.12 only) skips stable 3.11: cannot tell
			{"pip", "Python 3.12.4 (main, Jun  6 2024, 18:26:44) [GCC 11.4.0]"},
			{"pip", "0.2"}, {"pip", "0.6.3"}, {"pip", "22.3"}, {"pip", "23.2.1"}, {"pip", "23.3.dev0"}, {"pip", "23.3"},
			{"pip", "23.3.post1"}, {"pip", "25.3"}, {"python", "pip 23.2.1 from /usr/lib/python3/dist-packages/pip (python 3.11)"},
		} {
			prod := in.product
			if strings.HasPrefix(in.input, "pip ") || strings.HasPrefix(in.input, "Python ") {
				prod = "" // pasted output names its product
			}
			q, err := check.ParseInput(in.input, prod, cfg)
			if err != nil {
				t.Fatalf("check.ParseInput(%q): %v", in.input, err)
			}
			res := check.Check(entries, q, cfg[q.Product])
			var wantAff, wantUnk []string
			for _, f := range res.Affected {
				wantAff = append(wantAff, f.ID)
			}
			for _, u := range res.Unknown {
				wantUnk = append(wantUnk, u.ID)
			}
			b.do(t, "check "+in.input, setField("#check-product", in.product), setField("#check-version", in.input),
				chromedp.Click(css("#checker button")),
				chromedp.WaitVisible(css("#check-result .msg.is-affected, #check-result .msg.is-unknown, #check-result .msg.is-clear")))
			got := eval[[]string](t, b, `(function(){
  var r = document.getElementById('check-result');
  var cls = r.querySelector('.msg.is-affected, .msg.is-unknown, .msg.is-clear').className.replace('msg ', '');
  var ids = function (ul) { return ul ? Array.from(ul.querySelectorAll('.adv-id')).map(e => e.textContent).sort().join(' ') : ''; };
  var h = Array.from(r.querySelectorAll('h3')).find(e => e.textContent === 'Cannot tell');
  var uls = Array.from(r.querySelectorAll(':scope > ul'));
  var unk = h ? uls[uls.length - 1] : null;
  var aff = uls.length && uls[0] !== unk ? uls[0] : null;
  return [cls, ids(aff), ids(unk)];
})()`)
			slices.Sort(wantAff)
			slices.Sort(wantUnk)
			if in.input == "3.11.2" && !slices.Contains(wantUnk, "PSF-2024-21") {
				t.Errorf("3.11.2: advisory check does not list PSF-2024-21 as cannot tell (unknown %v)", wantUnk)
			}
			if outcome[got[0]] != res.Outcome() || got[1] != strings.Join(wantAff, " ") || got[2] != strings.Join(wantUnk, " ") {
				t.Errorf("%s %q: checker says %s, affected [%s], unknown [%s]; advisory check says %s, affected %v, unknown %v",
					in.product, in.input, got[0], got[1], got[2], res.Outcome(), wantAff, wantUnk)
			}
		}
		// Every known release of every product: the checker looks up what the
		// build judged, so it answers exactly as advisory check does.
		seen := map[string]map[string]int{} // product, outcome class: releases compared
		for _, name := range cfg.Names() {
			all := eval2[[][]string](t, b, fmt.Sprintf("window.advisoryVersions.checkAll(%q)", name))
			seen[name] = map[string]int{}
			if len(all) < len(lists[name].Tags) {
				t.Fatalf("%s: the checker knows %d releases, the release list %d", name, len(all), len(lists[name].Tags))
			}
			for _, got := range all {
				q, err := check.ParseInput(got[0], name, cfg)
				if err != nil {
					t.Fatalf("check.ParseInput(%q): %v", got[0], err)
				}
				res := check.Check(entries, q, cfg[name])
				seen[name][got[1]]++
				if outcome[got[1]] != res.Outcome() || got[2] != idList(res.Affected) || got[3] != unknownList(res.Unknown) {
					t.Errorf("%s %s: checker says %s, affected [%s], unknown [%s]; advisory check says %s, %v, %v",
						name, got[0], got[1], got[2], got[3], res.Outcome(), idList(res.Affected), unknownList(res.Unknown))
				}
			}
		}
		// Every product, and each with releases on both sides of a fix: a
		// comparison that never meets an affected release proves nothing.
		t.Logf("releases compared per product and outcome: %v", seen)
		for _, name := range []string{"python", "pip"} {
			if seen[name]["is-affected"] == 0 || seen[name]["is-clear"]+seen[name]["is-unknown"] == 0 {
				t.Errorf("%s: compared the checker with check on %v releases per outcome; want affected ones and others", name, seen[name])
			}
		}
	})

	t.Run("version order", func(t *testing.T) {
		// The checker's orders (JavaScript) agree with internal/version's.
		lists := map[version.Scheme][]string{
			version.SchemePEP440: {"0.2", "0.6.3", "1.0.dev1", "1.0a1", "1.0a2.dev1", "1.0a2", "1.0b1", "1.0rc1", "1.0c2",
				"1.0", "1.0.0", "v1.0", "1.0.post1.dev1", "1.0-1", "1.0.post2", "1.0.1", "1.5.6", "9.0.3", "10.0.0.dev0",
				"10.0.0b1", "10.0.0", "10.0.0+local.1", "10.0.0+local-2", "10.0.0+local.10", "10.0.0+abc", "20.1b1",
				"20.1", "23.2.1", "23.3.dev0", "23.3", "23.3.1", "25.3", "1!0.1", "1.0ALPHA1", "1.0.preview2", "1.0-r3",
				"99999999999999999999.0", "18446744073709551615.0", "1.0+", "one", "1.0+1", "1.0+001", "1.0+a.1", "1.0+A_1", "1.0+99999999999999999999999", "1.0+abc.5",
				"0!2.0", "2.0.0.0", "1.0.dev", "1.0a", "1.0.post", "1.0-dev-3"},
			version.SchemeTags: {"v2.5c1", "2.5rc1", "v2.5", "v2.7", "2.7.0", "v3.9.20", "v3.10.0a1", "v3.10.0",
				"3.12.4", "v3.13.0rc1", "3.13.0", "0", "3.12.4.1"},
		}
		if !eval2[bool](t, b, `window.advisoryVersions.load()`) {
			t.Fatal("window.advisoryVersions.load() did not bring the version orders into the page")
		}
		for scheme, vs := range lists {
			for _, x := range vs {
				for _, y := range vs {
					want, err := scheme.Compare(x, y)
					js := eval[*int](t, b, fmt.Sprintf(`window.advisoryVersions.compare(%q, %q, %q)`, scheme, x, y))
					switch {
					case err != nil && js != nil:
						t.Errorf("%s: JS compares %q and %q (%d), Go refuses: %v", scheme, x, y, *js, err)
					case err == nil && js == nil:
						t.Errorf("%s: JS refuses %q or %q, Go compares them (%d)", scheme, x, y, want)
					case err == nil && *js != want:
						t.Errorf("%s: compare(%q, %q) = %d in JS, %d in Go", scheme, x, y, *js, want)
					}
				}
			}
		}
	})

	t.Run("advisory page", func(t *testing.T) {
		b.follow(t, `#advisories a[href="advisory/PSF-2024-3.html"]`)
		if got := b.text(t, "h1"); got != "Quadratic complexity when parsing tarfile headers" {
			t.Errorf("advisory h1 = %q", got)
		}
		if got := b.text(t, ".facts"); !strings.Contains(got, "8.7") {
			t.Errorf("facts %q lack the CVSS score 8.7", got)
		}
		b.screenshot(t, shots, "advisory")
		b.do(t, "expand versions", chromedp.Click(css("details.versions summary")),
			chromedp.WaitVisible(css(".version-list")))
		feedHref := eval[string](t, b, `document.querySelector('.feed-link').getAttribute('href')`)
		if feedHref != "../feed.xml" {
			t.Errorf("feed link href = %q, want ../feed.xml", feedHref)
		}
		b.follow(t, ".feed-link")
		// Chromium shows an Atom feed as text: parse what it shows.
		root := eval[string](t, b, `(function(){
  var d = new DOMParser().parseFromString(document.body.textContent, 'application/xml');
  return location.pathname + ' ' + d.documentElement.localName + ' ' + d.documentElement.namespaceURI + ' ' +
    d.getElementsByTagName('entry').length;
})()`)
		if root != "/feed.xml feed http://www.w3.org/2005/Atom 6" {
			t.Errorf("feed link opened %q, want /feed.xml holding an Atom feed of 6 entries", root)
		}
	})

	t.Run("phone and dark", func(t *testing.T) {
		b.do(t, "phone", call(emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 2, Mobile: true}),
			call(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}),
			chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitReady(css("html[data-js]")))
		b.screenshot(t, shots, "index-phone-dark")
		if eval[bool](t, b, overflowJS) {
			t.Error("index scrolls sideways on a 390px wide phone")
		}
		b.do(t, "advisory", chromedp.Navigate(srv.URL+"/advisory/PSF-2025-1.html"), chromedp.WaitVisible(css("h1")))
		b.screenshot(t, shots, "advisory-phone-dark")
		if eval[bool](t, b, overflowJS) {
			t.Error("advisory page scrolls sideways on a 390px wide phone")
		}
		b.do(t, "desktop", call(emulation.ClearDeviceMetricsOverride, cdp.Empty{}),
			call(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}))
	})

	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("console errors or CSP violations:\n  %s", strings.Join(errs, "\n  "))
	}

	t.Run("404", func(t *testing.T) {
		b.do(t, "404", chromedp.Navigate(srv.URL+"/advisory-database/no/such/page"), chromedp.WaitVisible(css("h1")))
		color := eval[string](t, b, `getComputedStyle(document.querySelector('.site-header')).borderBottomStyle`)
		if color != "solid" {
			t.Errorf("404 page is unstyled (header border %q): its stylesheet did not load", color)
		}
		b.screenshot(t, shots, "404")
		for _, e := range b.takeErrors() {
			if !strings.Contains(e, "404") { // the page's own status is reported
				t.Errorf("404 page: %s", e)
			}
		}
	})

	t.Run("file URL", func(t *testing.T) {
		b.do(t, "file index", chromedp.Navigate("file://"+filepath.Join(dir, "index.html")),
			chromedp.WaitReady(css("html[data-js]")), setField("#f-q", "pip"))
		if got := b.visibleIDs(t); strings.Join(got, " ") != "PSF-2023-7" {
			t.Errorf("file:// index filter shows %v", got)
		}
		if errs := b.takeErrors(); len(errs) > 0 {
			t.Errorf("file:// index: %s", strings.Join(errs, "\n  "))
		}
	})
	t.Logf("screenshots in %s", shots)
}

// TestBrowserScale loads the index of SITE_SCALE generated advisories in
// Chromium and reports how long loading, filtering and a version check take:
// SITE_SCALE=10000 go test ./internal/site -run TestBrowserScale -v
func TestBrowserScale(t *testing.T) {
	if os.Getenv("SITE_SCALE") == "" {
		t.Skip("set SITE_SCALE=10000 to load a generated database in Chromium")
	}
	n := scaleFromEnv(t, 0)
	dir, d := writeGenerated(t, n)
	t.Logf("built %d advisories in %v", n, d)
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t)
	start := time.Now()
	b.do(t, "load index", chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitReady(css("html[data-js]")))
	t.Logf("index: navigate until filters usable: %v", time.Since(start))
	timing := eval[map[string]float64](t, b, `(function(){var n=performance.getEntriesByType('navigation')[0];
return {ttfb:n.responseStart, response:n.responseEnd, dcl:n.domContentLoadedEventEnd, load:n.loadEventEnd, bytes:n.transferSize};})()`)
	t.Logf("index: navigation timing (ms since start): %v", timing)
	start = time.Now()
	b.do(t, "filter", setField("#f-q", "module7 "), chromedp.WaitVisible(css("#results")))
	t.Logf("filter %q over all %d advisories (first use fetches %s): %v; %s", "module7", n, SearchIndex, time.Since(start), b.text(t, "#f-count"))
	start = time.Now()
	b.do(t, "filter", setField("#f-q", "module12 "), chromedp.Poll[chromedp.Void](`document.getElementById('f-count').textContent.indexOf('Showing 200') === 0 && document.querySelector('#results .adv-title').textContent.indexOf('module12') > 0`))
	t.Logf("filter %q (index loaded): %v", "module12", time.Since(start))
	b.do(t, "reset", setField("#f-q", ""))
	start = time.Now()
	b.do(t, "check", setField("#check-product", "python"), setField("#check-version", "3.12.4"),
		chromedp.Click(css("#checker button")), chromedp.WaitVisible(css("#check-result .msg.is-affected")))
	t.Logf("version check 3.12.4 (index already loaded by the filter): %v; %s", time.Since(start), b.text(t, "#check-result .msg"))
	start = time.Now()
	b.do(t, "check", setField("#check-version", "3.11.2"),
		chromedp.Click(css("#checker button")), chromedp.WaitVisible(css("#check-result .msg.is-affected")))
	t.Logf("version check 3.11.2: %v", time.Since(start))
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n  "))
	}
	b.screenshot(t, screenshotDir(t), "index-scale")
}

// TestBrowserPaged checks the index of a database larger than one page:
// pages link to each other, and filters search every advisory through
// search-index.json.
func TestBrowserPaged(t *testing.T) {
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
	b.do(t, "load index", chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitReady(css("html[data-js]")))
	if got := len(b.visibleIDs(t)); got != pageSize {
		t.Errorf("page 1 lists %d advisories, want %d", got, pageSize)
	}
	if got := b.text(t, "#f-count"); got != fmt.Sprintf("Advisories 1–%d of %d, newest first", pageSize, n) {
		t.Errorf("count = %q", got)
	}
	b.do(t, "filter", setField("#f-q", "module7 "), chromedp.WaitVisible(css("#results")))
	want := 0
	for i := range n {
		if strings.Contains(fmt.Sprintf("module%d ", i%50), "module7 ") {
			want++
		}
	}
	if got := b.text(t, "#f-count"); got != fmt.Sprintf("Showing %d of %d advisories", want, n) {
		t.Errorf("filtered count = %q, want %d of %d", got, want, n)
	}
	rows := eval[int](t, b, `document.querySelectorAll('#results > li').length`)
	if rows != want {
		t.Errorf("results list %d rows, want %d", rows, want)
	}
	b.do(t, "product", setField("#f-q", ""), setField("#f-product", "python"),
		chromedp.Poll[chromedp.Void](`document.getElementById('f-count').textContent.indexOf('Showing `+itoa(n)+`') === 0`))
	if got := eval[int](t, b, `document.querySelectorAll('#results > li').length`); got != pageSize {
		t.Errorf("python: %d rows rendered, want the first %d", got, pageSize)
	}
	b.screenshot(t, screenshotDir(t), "index-paged-filtered")
	for _, want := range []int{2 * pageSize, n} {
		b.do(t, "show more", chromedp.Click(css("#f-more-button")),
			chromedp.Poll[chromedp.Void](`document.querySelectorAll('#results > li').length >= `+itoa(want), chromedp.WithPollingTimeout(10*time.Second)))
		if got := eval[int](t, b, `document.querySelectorAll('#results > li').length`); got != want {
			t.Errorf("python after show more: %d rows, want %d", got, want)
		}
	}
	if eval[bool](t, b, `!document.getElementById('f-more').hidden`) {
		t.Error("the show-more button stays after the last row")
	}
	// The checker shows the first 20 affected advisories, and the rest on
	// "Show more" (fetched from the worker, appended in place).
	b.do(t, "check", setField("#check-product", "python"), setField("#check-version", "3.12.4"),
		chromedp.Click(css("#checker button")), chromedp.WaitVisible(css("#check-result .msg.is-affected")))
	var affected int
	if _, err := fmt.Sscanf(b.text(t, "#check-result .msg.is-affected"), "CPython 3.12.4 is affected by %d advisories.", &affected); err != nil || affected <= 20 {
		t.Fatalf("check 3.12.4: %q (%v), want more than 20 advisories", b.text(t, "#check-result .msg.is-affected"), err)
	}
	// The index was fetched by the worker, not by the page (a worker's
	// fetches are in its own performance timeline).
	if eval[bool](t, b, `performance.getEntriesByType('resource').some(e => /search-index\.json/.test(e.name))`) {
		t.Error("the page fetched search-index.json itself: the worker did not start")
	}
	if got := eval[int](t, b, `document.querySelectorAll('#check-result > ul:first-of-type > li').length`); got != 20 {
		t.Errorf("check 3.12.4 lists %d advisories at first, want 20", got)
	}
	b.do(t, "check: show more", chromedp.Click(css("#check-result .more button")),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#check-result > ul:first-of-type > li').length > 20`, chromedp.WithPollingTimeout(10*time.Second)))
	if got := eval[int](t, b, `document.querySelectorAll('#check-result > ul:first-of-type > li').length`); got != min(affected, 100) {
		t.Errorf("check 3.12.4 after show more: %d advisories listed, want %d", got, min(affected, 100))
	}
	b.do(t, "clear", setField("#f-product", ""), chromedp.WaitVisible(css("#pager")))
	b.follow(t, `#pager a[rel="next"]`)
	b.do(t, "page 2", chromedp.WaitReady(css("html[data-js]")))
	if got := b.text(t, "#f-count"); got != fmt.Sprintf("Advisories %d–%d of %d, newest first", pageSize+1, 2*pageSize, n) {
		t.Errorf("page 2 count = %q", got)
	}
	b.screenshot(t, screenshotDir(t), "index-page-2")
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("console errors or CSP violations:\n  %s", strings.Join(errs, "\n  "))
	}
}

// eval2 evaluates a JavaScript expression whose value is a promise.
func eval2[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// withReleaseLists gives the records the repository's known-release lists
// (as the build does), so the site judges every release of each product.
func withReleaseLists(t *testing.T, recs []*osv.Record, cfg product.Config) map[string]*release.List {
	t.Helper()
	lists := map[string]*release.List{}
	for _, n := range cfg.Names() {
		l, err := release.Read("../..", cfg[n])
		if err != nil || l == nil {
			t.Fatalf("release list of %s: %v", n, err)
		}
		lists[n] = l
	}
	for _, r := range recs {
		if l := lists[r.Advisory.Product]; l != nil {
			r.Summary.Releases = l.Names()
		}
	}
	return lists
}

func idList(fs []check.Finding) string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	return strings.Join(ids, " ")
}

func unknownList(us []check.Unknown) string {
	var ids []string
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	slices.Sort(ids)
	return strings.Join(ids, " ")
}

// TestBrowserPagedBranch filters the fixture, in pages of 3, by affected
// branch from search-index.json: pip's releases belong to its main branch
// (tag_branches, as the build names them), so "main" lists the pip
// advisory as the rows of a single page would.
func TestBrowserPagedBranch(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	cfg := fixtureConfig()
	recs := fixtureRecords(cfg)
	withReleaseLists(t, recs, cfg)
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if err := WriteOptions(root, recs, cfg, Options{PageSize: 3}); err != nil {
		t.Fatal(err)
	}
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t)
	b.do(t, "load index", chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitReady(css("html[data-js]")))
	for _, c := range []struct{ branch, want string }{
		{"main", "PSF-2023-7"},
		{"3.11", "PSF-2025-1 PSF-2024-3 PSF-2024-9"},
	} {
		ids := `Array.from(document.querySelectorAll('#results .adv-id')).map(e => e.textContent).join(' ')`
		b.do(t, "branch "+c.branch, setField("#f-branch", c.branch))
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](ids+` === `+strconv.Quote(c.want), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
			t.Errorf("branch %s lists %q, want %q", c.branch, eval[string](t, b, ids), c.want)
		}
	}
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("console errors or CSP violations: %v", errs)
	}
}
