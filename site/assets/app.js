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

  // ---- Filters -----------------------------------------------------------

  function initFilters() {
    var form = $('filters');
    var list = $('advisories');
    if (!form || !list) { return; }
    var q = $('f-q'), sev = $('f-sev'), branch = $('f-branch'), product = $('f-product');
    var count = $('f-count'), none = $('f-none');
    var rows = [];
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      var li = items[i];
      rows.push({
        el: li,
        q: li.getAttribute('data-q') || '',
        sev: li.getAttribute('data-sev') || '',
        product: li.getAttribute('data-product') || '',
        branches: ' ' + (li.getAttribute('data-branches') || '') + ' '
      });
    }
    var total = rows.length;
    var pending = false;

    function apply() {
      pending = false;
      var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var s = sev.value, b = branch.value, p = product.value;
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        var ok = (!s || r.sev === s) && (!p || r.product === p) &&
          (!b || r.branches.indexOf(' ' + b + ' ') >= 0);
        for (var j = 0; ok && j < terms.length; j++) {
          ok = r.q.indexOf(terms[j]) >= 0;
        }
        if (r.el.hidden === ok) { r.el.hidden = !ok; }
        if (ok) { shown++; }
      }
      var noun = total === 1 ? 'advisory' : 'advisories';
      count.textContent = shown === total ? total + ' ' + noun : 'Showing ' + shown + ' of ' + total + ' ' + noun;
      none.hidden = shown !== 0;
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
    form.hidden = false;
  }

  // ---- Versions ----------------------------------------------------------

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

  function display(tag) {
    return /^v\d/.test(tag) ? tag.slice(1) : tag;
  }

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

  function prepare(idx) {
    Object.keys(idx.products || {}).forEach(function (name) {
      var p = idx.products[name];
      p.keys = (p.tags || []).map(parseVersion);
    });
    (idx.advisories || []).forEach(function (a) {
      (a.branches || []).forEach(function (b) {
        b.firstKey = b.first ? parseVersion(b.first) : null;
        b.lastKey = b.last ? parseVersion(b.last) : null;
        b.fixedKey = b.fixed_in ? parseVersion(b.fixed_in) : null;
      });
    });
    return idx;
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
  // advisory's result on the version's own branch.
  function affectsUnknown(a, v) {
    var bs = a.branches || [];
    for (var i = 0; i < bs.length; i++) {
      var b = bs[i];
      if (b.branch !== v.branch || !b.firstKey || cmp(v, b.firstKey) < 0) { continue; }
      if (b.status === 'unfixed') { return true; }
      if (b.fixedKey) { return cmp(v, b.fixedKey) < 0; }
      return !!b.lastKey && cmp(v, b.lastKey) <= 0;
    }
    return false;
  }

  // fixFor names the release that fixes advisory a for version v.
  function fixFor(a, v) {
    var bs = a.branches || [], best = null, i, b;
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
    if (!input.trim()) {
      out.messages.push(['is-error', 'Type a version, for example ' + (productName === 'pip' ? '24.0' : '3.12.4') + '.']);
      return out;
    }
    if (!v) {
      out.messages.push(['is-error', '\u201c' + input.trim().slice(0, 60) + '\u201d is not a version number. Type a release such as ' +
        (productName === 'pip' ? '24.0 or 23.3.1' : '3.12.4 or 3.13.0rc1') + '.']);
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
        '. Check the number; the results below compare it with the known releases of its ' + v.branch + ' branch.']);
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

  function advisoryItem(a, note) {
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
    if (out.affected.length) {
      var ul = el('ul');
      out.affected.forEach(function (x) { ul.appendChild(advisoryItem(x.a, x.fix)); });
      box.appendChild(ul);
    }
    if (out.unresolved.length) {
      box.appendChild(el('h3', null, 'Not yet known'));
      box.appendChild(el('p', 'muted', 'The affected versions of these advisories have not been computed yet, so this check cannot tell:'));
      var ul2 = el('ul');
      out.unresolved.forEach(function (a) { ul2.appendChild(advisoryItem(a, '')); });
      box.appendChild(ul2);
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
    section.hidden = false;
    var params = new URLSearchParams(window.location.search);
    if (params.get('product')) {
      for (var i = 0; i < product.options.length; i++) {
        if (product.options[i].value === params.get('product')) { product.value = params.get('product'); }
      }
    }
    if (params.get('version')) {
      version.value = params.get('version').slice(0, 60);
      run();
    }
  }

  // Exposed for tests run in the page (no effect on behaviour).
  window.advisoryVersions = { parse: parseVersion, compare: cmp };

  initFilters();
  initChecker();
}());
