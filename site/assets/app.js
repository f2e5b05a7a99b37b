// Python Security Advisories: index filters and the version checker.
// No dependencies; builds DOM nodes with textContent only (no innerHTML).
(function () {
  'use strict';

  var SEVERITY = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined && text !== null) { n.textContent = text; }
    return n;
  }

  function display(tag) {
    return /^v\d/.test(tag) ? tag.slice(1) : tag;
  }

  // ---- The JSON index ------------------------------------------------------

  var indexPromise = null;

  function loadIndex() {
    if (!indexPromise) {
      indexPromise = fetch('search-index.json', { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      }).then(prepare);
      indexPromise.catch(function () { indexPromise = null; });
    }
    return indexPromise;
  }

  // prepare resolves tag indexes into names and parsed versions.
  function prepare(idx) {
    Object.keys(idx.products || {}).forEach(function (name) {
      var p = idx.products[name];
      p.keys = (p.tags || []).map(parseVersion);
    });
    (idx.advisories || []).forEach(function (a) {
      var p = idx.products[a.product] || { tags: [], keys: [] };
      var tag = function (i) { return i >= 0 ? p.tags[i] : ''; };
      var key = function (i) { return i >= 0 ? p.keys[i] : null; };
      a.branchList = (a.branches || []).map(function (b) {
        return {
          branch: b[0], status: b[1], first: tag(b[2]), last: tag(b[3]), fixed_in: tag(b[4]),
          firstKey: key(b[2]), lastKey: key(b[3]), fixedKey: key(b[4])
        };
      });
      a.productTitle = p.title || a.product;
      a.q = [a.id, a.title, a.productTitle].concat(a.aliases || [], a.components || []).join(' ').toLowerCase();
      a.branchKeys = ' ' + a.branchList.filter(function (b) { return b.status !== 'not-affected'; })
        .map(function (b) { return b.branch; }).join(' ') + ' ';
    });
    return idx;
  }

  // ---- Filters -------------------------------------------------------------

  function initFilters() {
    var form = $('filters');
    var list = $('advisories');
    if (!form || !list) { return; }
    var q = $('f-q'), sev = $('f-sev'), branch = $('f-branch'), product = $('f-product');
    var count = $('f-count'), none = $('f-none'), results = $('results');
    var more = $('f-more'), moreButton = $('f-more-button'), pager = $('pager');
    var complete = list.getAttribute('data-complete') === 'true';
    var batch = parseInt(list.getAttribute('data-page-size'), 10) || 200; // rows rendered at a time
    var initialCount = count.textContent;
    var pending = false, shownMatches = [], rendered = 0;

    function criteria() {
      return {
        terms: q.value.toLowerCase().split(/\s+/).filter(Boolean),
        sev: sev.value, branch: branch.value, product: product.value
      };
    }

    function matches(c, r) {
      if ((c.sev && r.sev !== c.sev) || (c.product && r.product !== c.product) ||
        (c.branch && r.branches.indexOf(' ' + c.branch + ' ') < 0)) { return false; }
      for (var j = 0; j < c.terms.length; j++) {
        if (r.q.indexOf(c.terms[j]) < 0) { return false; }
      }
      return true;
    }

    function empty(c) { return !c.terms.length && !c.sev && !c.branch && !c.product; }

    function noun(n) { return n === 1 ? 'advisory' : 'advisories'; }

    // The page lists every advisory: filter its rows in place.
    var rows = null;
    function filterRows(c) {
      if (!rows) {
        rows = [];
        for (var i = 0; i < list.children.length; i++) {
          var li = list.children[i];
          rows.push({
            el: li, q: li.getAttribute('data-q') || '', sev: li.getAttribute('data-sev') || '',
            product: li.getAttribute('data-product') || '',
            branches: ' ' + (li.getAttribute('data-branches') || '') + ' '
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

    // The page lists some advisories: filter all of them from the JSON index.
    function filterIndex(c) {
      if (empty(c)) {
        results.hidden = true; more.hidden = true; none.hidden = true;
        list.hidden = false;
        if (pager) { pager.hidden = false; }
        count.textContent = initialCount;
        return;
      }
      loadIndex().then(function (idx) {
        var cur = criteria();
        shownMatches = (idx.advisories || []).filter(function (a) {
          return matches(cur, { q: a.q, sev: a.severity, product: a.product, branches: a.branchKeys });
        });
        list.hidden = true;
        if (pager) { pager.hidden = true; }
        results.textContent = '';
        results.hidden = false;
        rendered = 0;
        renderMore();
        var total = (idx.advisories || []).length;
        count.textContent = 'Showing ' + shownMatches.length + ' of ' + total + ' ' + noun(total);
        none.hidden = shownMatches.length !== 0;
      }, function () {
        count.textContent = 'Filtering needs search-index.json, which could not be loaded. ' +
          'If you opened this page from a file, preview the site with \u201cadvisory serve\u201d.';
      });
    }

    function renderMore() {
      var end = Math.min(rendered + batch, shownMatches.length);
      var frag = document.createDocumentFragment();
      for (; rendered < end; rendered++) { frag.appendChild(row(shownMatches[rendered])); }
      results.appendChild(frag);
      more.hidden = rendered >= shownMatches.length;
      moreButton.textContent = 'Show ' + Math.min(batch, shownMatches.length - rendered) + ' more';
    }

    function apply() {
      pending = false;
      var c = criteria();
      if (complete) { filterRows(c); } else { filterIndex(c); }
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
    moreButton.addEventListener('click', renderMore);
    if (!complete) { // fetch the index while the reader is still typing
      form.addEventListener('focusin', function () { loadIndex().catch(function () {}); });
    }
    form.hidden = false;
  }

  // row renders one advisory of the JSON index like the server renders it.
  function row(a) {
    var li = el('li', 'adv' + (a.withdrawn ? ' is-withdrawn' : ''));
    var meta = el('div', 'adv-meta');
    var sev = SEVERITY[a.severity] ? a.severity : 'unknown';
    meta.appendChild(el('span', 'badge sev-' + sev, SEVERITY[a.severity] || 'Unrated'));
    if (a.withdrawn) { meta.appendChild(el('span', 'badge badge-withdrawn', 'Withdrawn')); }
    meta.appendChild(el('span', 'adv-id', a.id));
    (a.aliases || []).forEach(function (x) {
      if (/^CVE-/.test(x)) { meta.appendChild(el('span', 'cve', x)); }
    });
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
    if (a.components && a.components.length) {
      var comps = el('p', 'components');
      a.components.forEach(function (c) { comps.appendChild(el('code', null, c)); comps.appendChild(document.createTextNode(' ')); });
      li.appendChild(comps);
    }
    var fixes = el('p', 'fixes');
    var affected = a.branchList.filter(function (b) { return b.status !== 'not-affected'; });
    if (a.affected === null || a.affected === undefined) {
      fixes.appendChild(el('span', 'fixes-label', 'Affected versions not computed yet'));
    } else if (!affected.length) {
      fixes.appendChild(el('span', 'fixes-label', 'No affected branch'));
    } else {
      fixes.appendChild(el('span', 'fixes-label', 'Fixed in'));
      affected.forEach(function (b) {
        fixes.appendChild(document.createTextNode(' '));
        fixes.appendChild(b.fixed_in ? el('span', 'fix', display(b.fixed_in)) : el('span', 'fix unfixed', b.branch + ': not fixed'));
      });
    }
    li.appendChild(fixes);
    return li;
  }

  // ---- Versions ------------------------------------------------------------

  var PRE = { a: 0, b: 1, c: 2, rc: 2 };
  var VERSION_RE = /^(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?(?:(a|b|c|rc)(\d{1,6}))?$/;

  // parseVersion reads "3.12.4", "v3.13.0rc1", "Python 3.12.4" or "pip 24.0".
  function parseVersion(s) {
    if (typeof s !== 'string') { return null; }
    var t = s.trim().replace(/^(c?python|pip)\s*/i, '').replace(/^v(?=\d)/i, '').toLowerCase();
    var m = VERSION_RE.exec(t);
    if (!m) { return null; }
    return {
      text: t,
      major: +m[1], minor: +m[2], micro: m[3] === undefined ? 0 : +m[3],
      pre: m[4] ? PRE[m[4]] : 3, preN: m[5] ? +m[5] : 0,
      branch: m[1] + '.' + m[2]
    };
  }

  function cmp(a, b) {
    return (a.major - b.major) || (a.minor - b.minor) || (a.micro - b.micro) ||
      (a.pre - b.pre) || (a.preN - b.preN);
  }

  function findTag(p, v) {
    for (var i = 0; i < p.keys.length; i++) {
      if (p.keys[i] && cmp(p.keys[i], v) === 0) { return i; }
    }
    return -1;
  }

  function inRuns(runs, i) {
    for (var k = 0; k < runs.length; k++) {
      if (runs[k][0] <= i && i <= runs[k][1]) { return true; }
    }
    return false;
  }

  // affectsUnknown decides for a version no advisory names, from the
  // advisory's result on the version's own branch, else on main (pip's
  // releases, and CPython's next version before its branch exists).
  function affectsUnknown(a, v) {
    var own = a.branchList.filter(function (b) { return b.branch === v.branch; });
    var bs = own.length ? own : a.branchList.filter(function (b) { return b.branch === 'main'; });
    for (var i = 0; i < bs.length; i++) {
      var b = bs[i];
      if (!b.firstKey || cmp(v, b.firstKey) < 0) { continue; }
      if (b.status === 'unfixed') { return true; }
      if (b.fixedKey) { return cmp(v, b.fixedKey) < 0; }
      return !!b.lastKey && cmp(v, b.lastKey) <= 0;
    }
    return false;
  }

  // fixFor names the release that fixes advisory a for version v.
  function fixFor(a, v) {
    var bs = a.branchList, best = null, i, b;
    for (i = 0; i < bs.length; i++) {
      b = bs[i];
      if (b.branch === v.branch) {
        if (b.status === 'fixed' && b.fixed_in) { return 'Fixed in ' + display(b.fixed_in); }
        if (b.status === 'unfixed') { return 'Not fixed yet on ' + b.branch; }
      }
    }
    for (i = 0; i < bs.length; i++) {
      b = bs[i];
      if (b.fixedKey && cmp(b.fixedKey, v) > 0 && (!best || cmp(b.fixedKey, best.fixedKey) < 0)) { best = b; }
    }
    return best ? 'Fixed in ' + display(best.fixed_in) : 'No fixed release yet';
  }

  function check(idx, productName, input) {
    var p = idx.products[productName];
    var title = p ? p.title : productName;
    var v = parseVersion(input);
    var out = { messages: [], affected: [], unresolved: [] };
    var example = productName === 'pip' ? '24.0 or 23.3.1' : '3.12.4 or 3.13.0rc1';
    if (!input.trim()) {
      out.messages.push(['is-error', 'Type a version, for example ' + example + '.']);
      return out;
    }
    if (!v) {
      out.messages.push(['is-error', '\u201c' + input.trim().slice(0, 60) + '\u201d is not a version number. Type a release such as ' + example + '.']);
      return out;
    }
    if (!p) {
      out.messages.push(['is-error', 'This database has no product \u201c' + productName + '\u201d.']);
      return out;
    }
    var at = findTag(p, v);
    if (at < 0) {
      var newest = null;
      p.keys.forEach(function (k) { if (k && (!newest || cmp(k, newest) > 0)) { newest = k; } });
      var why = newest && cmp(v, newest) > 0 ? 'is newer than every release the advisories name' : 'is not a release any advisory names';
      out.messages.push(['is-warn', title + ' ' + v.text + ' ' + why +
        '. Check the number; the results below judge it by the affected and fixed releases of its branch.']);
    }
    (idx.advisories || []).forEach(function (a) {
      if (a.product !== productName || a.withdrawn) { return; }
      if (a.affected === null || a.affected === undefined) { out.unresolved.push(a); return; }
      var hit = at >= 0 ? inRuns(a.affected, at) : affectsUnknown(a, v);
      if (hit) { out.affected.push({ a: a, fix: fixFor(a, v) }); }
    });
    var n = out.affected.length;
    if (n) {
      out.messages.push(['is-affected', title + ' ' + v.text + ' is affected by ' + n + (n === 1 ? ' advisory.' : ' advisories.')]);
    } else {
      out.messages.push(['is-clear', 'No advisory in this database affects ' + title + ' ' + v.text + '.']);
    }
    return out;
  }

  function resultItem(a, note) {
    var li = el('li');
    li.appendChild(el('span', 'badge sev-' + (SEVERITY[a.severity] ? a.severity : 'unknown'), SEVERITY[a.severity] || 'Unrated'));
    var link = el('a', 'adv-id', a.id);
    link.href = a.url;
    li.appendChild(link);
    li.appendChild(el('span', null, a.title));
    if (note) { li.appendChild(el('span', 'fix-note', note)); }
    return li;
  }

  function render(box, out) {
    box.textContent = '';
    out.messages.forEach(function (m) { box.appendChild(el('p', 'msg ' + m[0], m[1])); });
    var list = function (items) {
      var ul = el('ul');
      items.slice(0, 500).forEach(function (x) { ul.appendChild(resultItem(x.a || x, x.fix || '')); });
      box.appendChild(ul);
      if (items.length > 500) { box.appendChild(el('p', 'muted', 'and ' + (items.length - 500) + ' more.')); }
    };
    if (out.affected.length) { list(out.affected); }
    if (out.unresolved.length) {
      box.appendChild(el('h3', null, 'Not yet known'));
      box.appendChild(el('p', 'muted', 'The affected versions of these advisories have not been computed yet, so this check cannot tell:'));
      list(out.unresolved);
    }
  }

  function initChecker() {
    var form = $('checker');
    if (!form) { return; }
    var section = $('check'), product = $('check-product'), version = $('check-version'), box = $('check-result');

    function run() {
      var pname = product.value, input = version.value;
      box.textContent = '';
      box.appendChild(el('p', 'msg', 'Checking\u2026'));
      loadIndex().then(function (idx) {
        render(box, check(idx, pname, input));
        if (window.history && window.history.replaceState && parseVersion(input)) {
          var params = new URLSearchParams();
          params.set('product', pname);
          params.set('version', input.trim());
          window.history.replaceState(null, '', '?' + params.toString() + '#check');
        }
      }, function () {
        box.textContent = '';
        box.appendChild(el('p', 'msg is-error', 'The advisory index (search-index.json) could not be loaded. ' +
          'If you opened this page from a file, preview the site with \u201cadvisory serve\u201d instead.'));
      });
    }

    form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
    form.addEventListener('focusin', function () { loadIndex().catch(function () {}); });
    section.hidden = false;
    var params = new URLSearchParams(window.location.search);
    var want = params.get('product');
    for (var i = 0; want && i < product.options.length; i++) {
      if (product.options[i].value === want) { product.value = want; }
    }
    if (params.get('version')) {
      version.value = params.get('version').slice(0, 60);
      run();
    }
  }

  initFilters();
  initChecker();
}());
