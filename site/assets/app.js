// Python Security Advisories: the index filters and the version checker,
// on the page. No dependencies; builds DOM nodes with textContent only (no
// innerHTML).
//
// This file holds only what the page shows. The search itself (fetching,
// parsing and searching search-index.json, judging a version) is
// search.js, which this script starts as a Web Worker on first use, so
// that neither its code nor a database of any size ever runs on the page's
// thread. Without a worker (file://, an old browser) the page loads
// search.js as a script and calls the same functions itself.
//
// The script is deferred, and its evaluation only schedules the work: the
// filters, the checker and a shared check each start in a task of their
// own, so that no task on load is long on a slow phone (Lighthouse's
// mobile profile; TestBrowserMainThreadTasks).
(function () {
  'use strict';

  var SEVERITY = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };
  var SOURCE_NOTE = { computed: 'from the git history', authored: 'from the advisory\u2019s stated releases' };

  // soon runs fn in a task of its own, after what is queued.
  function soon(fn) { window.setTimeout(fn, 0); }

  var scriptURL = document.currentScript ? document.currentScript.src : '';
  var searchURL = scriptURL ? new URL('search.js', scriptURL).href : '';
  var indexURL = new URL('search-index.json', window.location.href).href;

  // loadSearch brings search.js into the page, once: a promise of what it
  // exports (window.advisorySearch).
  var searchLoaded = null;
  function loadSearch() {
    if (!searchLoaded) {
      searchLoaded = new Promise(function (resolve, reject) {
        if (window.advisorySearch) { resolve(window.advisorySearch); return; }
        var s = document.createElement('script');
        s.src = searchURL;
        s.onload = function () {
          if (window.advisorySearch) { resolve(window.advisorySearch); } else { reject(new Error('search.js did not load')); }
        };
        s.onerror = function () { reject(new Error('search.js could not be loaded')); };
        document.head.appendChild(s);
      });
      searchLoaded.catch(function () { searchLoaded = null; });
    }
    return searchLoaded;
  }

  // inPage calls a method of the search engine on the page's thread.
  function inPage(method, args) {
    return loadSearch().then(function (s) { return s.call(method, indexURL, args); });
  }

  // engine calls a method of the search engine in the worker, started on
  // first use, or in the page when there is no worker (file://, a browser
  // without workers, or a worker that failed to start).
  var engine = (function () {
    var worker = null, next = 0, pending = {};
    function start() {
      if (worker === null) {
        worker = false;
        if (typeof Worker === 'function' && searchURL && window.location.protocol !== 'file:') {
          try {
            worker = new Worker(searchURL);
            worker.onmessage = answered;
            worker.onerror = failed;
          } catch (err) { worker = false; }
        }
      }
      return worker;
    }
    function answered(e) {
      var d = e.data || {}, p = pending[d.id];
      if (!p) { return; }
      delete pending[d.id];
      if (d.error) { p.reject(new Error(d.error)); } else { p.resolve(d.result); }
    }
    // failed: the worker did not start; answer what it was asked in the page.
    function failed(e) {
      if (e && e.preventDefault) { e.preventDefault(); }
      if (worker) { worker.terminate(); }
      worker = false;
      var waiting = pending;
      pending = {};
      Object.keys(waiting).forEach(function (id) {
        var p = waiting[id];
        inPage(p.method, p.args).then(p.resolve, p.reject);
      });
    }
    return function (method, args) {
      var w = start();
      if (!w) { return inPage(method, args); }
      return new Promise(function (resolve, reject) {
        var id = ++next;
        pending[id] = { resolve: resolve, reject: reject, method: method, args: args };
        w.postMessage({ id: id, method: method, url: indexURL, args: args });
      });
    };
  }());

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined && text !== null) { n.textContent = text; }
    return n;
  }

  // enable turns on a form's controls, which the page renders disabled (and
  // visible, so that nothing moves when the script arrives).
  function enable(form) {
    var controls = form.querySelectorAll('input, select, button');
    for (var i = 0; i < controls.length; i++) { controls[i].disabled = false; }
  }

  function prefetch() { engine('load', []).catch(function () {}); }

  // ---- Filters -------------------------------------------------------------

  function noun(n) { return n === 1 ? 'advisory' : 'advisories'; }

  // initFilters turns the filters on: a promise, resolved when they work.
  function initFilters() {
    var form = $('filters');
    var list = $('advisories');
    if (!form || !list) { return Promise.resolve(); }
    var q = $('f-q'), sev = $('f-sev'), branch = $('f-branch'), product = $('f-product');
    var count = $('f-count'), none = $('f-none'), results = $('results');
    var more = $('f-more'), moreButton = $('f-more-button'), pager = $('pager');
    var complete = list.getAttribute('data-complete') === 'true';
    var batch = parseInt(list.getAttribute('data-page-size'), 10) || 50; // rows rendered at a time
    var initialCount = count.textContent;
    var pending = false, matched = [], rendered = 0, seq = 0, fetching = false;

    function criteria() {
      return {
        terms: q.value.toLowerCase().split(/\s+/).filter(Boolean),
        sev: sev.value, branch: branch.value, product: product.value
      };
    }

    function empty(c) { return !c.terms.length && !c.sev && !c.branch && !c.product; }

    // The page lists every advisory: filter its rows in place, with the
    // search engine's rule (matches), which search.js brings into the page.
    var rows = null;
    function filterRows(c, matches) {
      if (!rows) {
        rows = [];
        for (var i = 0; i < list.children.length; i++) {
          var li = list.children[i];
          rows.push({
            el: li, q: li.getAttribute('data-q') || '', sev: li.getAttribute('data-sev') || '',
            product: li.getAttribute('data-product') || '',
            branches: (function (keys) { return function () { return keys; }; }(' ' + (li.getAttribute('data-branches') || '') + ' '))
          });
        }
      }
      var shown = 0;
      rows.forEach(function (r) {
        var ok = matches(c, r);
        if (r.el.hidden === ok) { r.el.hidden = !ok; }
        if (ok) { shown++; }
      });
      count.textContent = shown === rows.length ? rows.length + ' ' + noun(rows.length) :
        'Showing ' + shown + ' of ' + rows.length + ' ' + noun(rows.length);
      none.hidden = shown !== 0;
    }

    // The page lists some advisories: filter all of them from the JSON
    // index (in the worker), and list the first matches.
    function filterIndex(c) {
      var my = ++seq;
      if (empty(c)) {
        results.hidden = true; more.hidden = true; none.hidden = true;
        list.hidden = false;
        if (pager) { pager.hidden = false; }
        count.textContent = initialCount;
        return;
      }
      engine('filter', [c, batch]).then(function (res) {
        if (my !== seq) { return; }
        matched = res.matched;
        rendered = 0;
        list.hidden = true;
        if (pager) { pager.hidden = true; }
        results.textContent = '';
        results.hidden = false;
        append(res.rows);
        count.textContent = 'Showing ' + matched.length + ' of ' + res.total + ' ' + noun(res.total);
        none.hidden = matched.length !== 0;
      }, function () {
        if (my !== seq) { return; }
        count.textContent = 'Filtering needs search-index.json, which could not be loaded. ' +
          'If you opened this page from a file, preview the site with \u201cadvisory serve\u201d.';
      });
    }

    function append(views) {
      var frag = document.createDocumentFragment();
      views.forEach(function (v) { frag.appendChild(row(v)); });
      results.appendChild(frag);
      rendered += views.length;
      more.hidden = rendered >= matched.length;
      moreButton.textContent = 'Show ' + Math.min(batch, matched.length - rendered) + ' more';
    }

    function showMore() {
      if (fetching) { return; }
      var my = seq;
      fetching = true;
      engine('rows', [matched.slice(rendered, rendered + batch)]).then(function (views) {
        fetching = false;
        if (my === seq) { append(views); }
      }, function () { fetching = false; });
    }

    function apply() {
      pending = false;
      if (!complete) { filterIndex(criteria()); return; }
      loadSearch().then(function (search) { filterRows(criteria(), search.matches); });
    }

    function schedule() {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(apply);
      }
    }

    form.addEventListener('input', schedule);
    form.addEventListener('change', schedule);
    form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
    moreButton.addEventListener('click', showMore);
    if (!complete) {
      form.addEventListener('focusin', prefetch); // load the index while the reader types
      enable(form);
      return Promise.resolve();
    }
    // Rows filtered in place need the matching rule first.
    return loadSearch().then(function () { enable(form); }, function () {
      count.textContent = 'Filtering needs assets/search.js, which could not be loaded.';
    });
  }

  // row renders one advisory of the JSON index (rowView) like the server
  // renders it.
  function row(a) {
    var li = el('li', 'adv' + (a.withdrawn ? ' is-withdrawn' : ''));
    var meta = el('div', 'adv-meta');
    var sev = SEVERITY[a.severity] ? a.severity : 'unknown';
    meta.appendChild(el('span', 'badge sev-' + sev, SEVERITY[a.severity] || 'Unrated'));
    if (a.withdrawn) { meta.appendChild(el('span', 'badge badge-withdrawn', 'Withdrawn')); }
    if (a.platforms) { meta.appendChild(el('span', 'badge badge-platform', a.platforms)); }
    meta.appendChild(el('span', 'adv-id', a.id));
    a.cves.forEach(function (x) { meta.appendChild(el('span', 'cve', x)); });
    meta.appendChild(el('span', 'product', a.productTitle));
    var time = el('time', null, a.published);
    time.setAttribute('datetime', a.published);
    meta.appendChild(time);
    li.appendChild(meta);
    var h = el('h3', 'adv-title');
    var link = el('a', null, a.title);
    link.href = a.url;
    h.appendChild(link);
    li.appendChild(h);
    if (a.components.length) {
      var comps = el('p', 'components');
      a.components.forEach(function (c) { comps.appendChild(el('code', null, c)); comps.appendChild(document.createTextNode(' ')); });
      li.appendChild(comps);
    }
    var fixes = el('p', 'fixes');
    if (!a.source || a.source === 'unknown') {
      fixes.appendChild(el('span', 'fixes-label', 'Affected versions not known yet'));
    } else if (!a.fixes.length) {
      fixes.appendChild(el('span', 'fixes-label', 'No affected branch'));
    } else {
      fixes.appendChild(el('span', 'fixes-label', 'Fixed in'));
      a.fixes.forEach(function (f) {
        fixes.appendChild(document.createTextNode(' '));
        fixes.appendChild(f[1] ? el('span', 'fix', f[1]) : el('span', 'fix unfixed', f[0] + ': not fixed'));
      });
    }
    li.appendChild(fixes);
    return li;
  }
  // ---- The checker ---------------------------------------------------------

  // CHECK_BATCH: the advisories of each list the answer shows at first, and
  // adds with each "Show more", so that no answer blocks the page.
  var CHECK_BATCH = 20;

  function resultItem(x) {
    var li = el('li');
    li.appendChild(el('span', 'badge sev-' + (SEVERITY[x.severity] ? x.severity : 'unknown'), SEVERITY[x.severity] || 'Unrated'));
    var link = el('a', 'adv-id', x.id);
    link.href = x.url;
    li.appendChild(link);
    li.appendChild(el('span', null, x.title));
    if (x.platforms) { li.appendChild(el('span', 'badge badge-platform', x.platforms)); }
    if (x.fix) { li.appendChild(el('span', 'fix-note', x.fix)); }
    if (SOURCE_NOTE[x.source]) { li.appendChild(el('span', 'source-note muted', SOURCE_NOTE[x.source])); }
    return li;
  }

  // render shows the answer; ask(which, from) fetches more of a list.
  function render(box, out, ask) {
    box.textContent = '';
    out.messages.forEach(function (m) { box.appendChild(el('p', 'msg ' + m[0], m[1])); });
    var list = function (which, items, total) {
      var ul = el('ul');
      var add = function (xs) {
        var frag = document.createDocumentFragment();
        xs.forEach(function (x) { frag.appendChild(resultItem(x)); });
        ul.appendChild(frag);
      };
      add(items);
      box.appendChild(ul);
      if (items.length < total) {
        var p = el('p', 'more'), button = el('button', null, '');
        var label = function () {
          var n = ul.children.length;
          button.textContent = 'Show ' + Math.min(CHECK_BATCH * 4, total - n) + ' more (' + n + ' of ' + total + ' shown)';
        };
        button.type = 'button';
        label();
        button.addEventListener('click', function () {
          button.disabled = true;
          ask(which, ul.children.length).then(function (xs) {
            add(xs);
            button.disabled = false;
            if (ul.children.length >= total || !xs.length) { p.remove(); } else { label(); }
          }, function () { button.disabled = false; });
        });
        p.appendChild(button);
        box.appendChild(p);
      }
    };
    if (out.nAffected) { list('affected', out.affected, out.nAffected); }
    if (out.nUnknown) {
      box.appendChild(el('h3', null, 'Cannot tell'));
      box.appendChild(el('p', 'muted', 'These advisories have no version data for this version (no computed resolution, and no stated releases that speak for it), ' +
        'so this check cannot say whether they affect this version:'));
      list('unknown', out.unknown, out.nUnknown);
    }
  }

  function initChecker() {
    var form = $('checker');
    if (!form) { return; }
    var product = $('check-product'), version = $('check-version'), box = $('check-result');
    var seq = 0;

    function run() {
      var pname = product.value, input = version.value, my = ++seq;
      box.textContent = '';
      box.appendChild(el('p', 'msg', 'Checking\u2026'));
      engine('check', [pname, input, { affected: [0, CHECK_BATCH], unknown: [0, CHECK_BATCH] }]).then(function (out) {
        if (my !== seq) { return; }
        if (out.product !== pname) {
          for (var i = 0; i < product.options.length; i++) {
            if (product.options[i].value === out.product) { product.value = out.product; }
          }
        }
        render(box, out, function (which, from) {
          var want = { affected: [0, 0], unknown: [0, 0] };
          want[which] = [from, CHECK_BATCH * 4];
          return engine('check', [out.product, input, want]).then(function (more) { return more[which]; });
        });
        if (window.history && window.history.replaceState && !out.messages.some(function (m) { return m[0] === 'is-error'; })) {
          var params = new URLSearchParams();
          params.set('product', out.product);
          params.set('version', input.trim());
          window.history.replaceState(null, '', '?' + params.toString() + '#check');
        }
      }, function () {
        if (my !== seq) { return; }
        box.textContent = '';
        box.appendChild(el('p', 'msg is-error', 'The advisory index (search-index.json) could not be loaded. ' +
          'If you opened this page from a file, preview the site with \u201cadvisory serve\u201d instead.'));
      });
    }

    form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
    form.addEventListener('focusin', prefetch);
    enable(form);
    var params = new URLSearchParams(window.location.search);
    var want = params.get('product');
    for (var i = 0; want && i < product.options.length; i++) {
      if (product.options[i].value === want) { product.value = want; }
    }
    if (params.get('version')) {
      version.value = params.get('version').slice(0, 60);
      soon(run);
    }
  }

  // For the browser tests: load() brings the version orders into the page
  // (a promise), after which compare('pep440', '1.0a1', '1.0') orders two
  // versions as internal/version does (null when one does not parse);
  // checkAll answers, as the checker does, for every release of a
  // product's index: [release, outcome class, affected IDs, cannot-tell
  // IDs] each, to compare the checker with advisory check.
  window.advisoryVersions = {
    load: function () {
      return loadSearch().then(function (s) { window.advisoryVersions.compare = s.compare; return true; });
    },
    checkAll: function (product) { return engine('checkAll', [product]); }
  };

  // html[data-js=ready]: the filters and the checker work.
  function ready() { document.documentElement.setAttribute('data-js', 'ready'); }

  soon(function () {
    var filters = initFilters();
    soon(function () {
      initChecker();
      filters.then(ready, ready);
    });
  });
}());
