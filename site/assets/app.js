// Python Security Advisories: index filters and the version checker.
// No dependencies; builds DOM nodes with textContent only (no innerHTML).
(function () {
  'use strict';

  var SEVERITY = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

  // STATUS: what each status of a branch row (the release-status table,
  // internal/lock/status.go) means here: affected, the branch had affected
  // releases; fixed, its fix is committed. TestAppStatuses fails when a
  // status of the table is missing.
  var STATUS = {
    'fixed': { affected: true, fixed: true },
    'unfixed': { affected: true, fixed: false },
    'not-affected': { affected: false, fixed: false }
  };

  // statusOf is the meaning of a row's status; null for a status outside
  // the table (the index says "unknown"), which is never "not affected".
  function statusOf(row) { return row && STATUS.hasOwnProperty(row.status) ? STATUS[row.status] : null; }

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
      p.keys = (p.tags || []).map(function (t) { return parseIn(p.scheme, t); });
    });
    (idx.advisories || []).forEach(function (a) {
      var p = idx.products[a.product] || { tags: [], keys: [] };
      var tag = function (i) { return i >= 0 ? p.tags[i] : ''; };
      a.branchList = (a.branches || []).map(function (b) {
        return { branch: b[0], status: b[1], first: tag(b[2]), last: tag(b[3]), fixed_in: tag(b[4]) };
      });
      a.answers = decodeVerdicts(a.verdicts || '', p.tags.length);
      a.productTitle = p.title || a.product;
      a.q = [a.id, a.title, a.productTitle].concat(a.aliases || [], a.components || []).join(' ').toLowerCase();
      var branches = [];
      for (var i = 0; i < a.answers.length; i++) {
        var k = p.keys[i], br = k && (k.branch || (k.scheme === 'pep440' ? 'main' : ''));
        if (a.answers.charAt(i) === 'a' && br && branches.indexOf(br) < 0) { branches.push(br); }
      }
      a.branchKeys = ' ' + branches.join(' ') + ' ';
    });
    return idx;
  }

  // decodeVerdicts expands the build's run-length answers ("120n30a5u") to
  // one character per release of the product; a malformed or short string
  // leaves 'u' (cannot tell), never 'n'.
  function decodeVerdicts(s, n) {
    var out = '', m, re = /(\d+)([anu])/g, at = 0;
    while ((m = re.exec(s)) && m.index === at && out.length < n) {
      out += new Array(Math.min(parseInt(m[1], 10), n - out.length) + 1).join(m[2]);
      at = re.lastIndex;
    }
    while (out.length < n) { out += 'u'; }
    return out;
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
    enable(form);
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
    var affected = a.branchList.filter(function (b) { var st = statusOf(b); return !st || st.affected; });
    if (!a.source || a.source === 'unknown') {
      fixes.appendChild(el('span', 'fixes-label', 'Affected versions not known yet'));
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
  // Two orders, as internal/version has them: CPython's release tags
  // ("tags": 3.9 < 3.10, a < b < rc (= c) < final, 2.7 = 2.7.0) and PEP 440
  // for PyPI products ("pep440": 0.2 < 1.0.dev1 < 1.0a1 < 1.0 < 1.0.post1).

  var PRE = { a: 0, b: 1, c: 2, rc: 2 };
  var TAG_RE = /^v?(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?(?:(a|b|c|rc)(\d{1,6}))?$/;

  function parseTag(s) {
    var m = TAG_RE.exec(s.toLowerCase());
    if (!m) { return null; }
    var micro = m[3] === undefined ? '' : '.' + (+m[3]);
    return {
      scheme: 'tags', text: (+m[1]) + '.' + (+m[2]) + micro + (m[4] ? (m[4] === 'c' ? 'rc' : m[4]) + (+m[5]) : ''),
      major: +m[1], minor: +m[2], micro: m[3] === undefined ? 0 : +m[3],
      pre: m[4] ? PRE[m[4]] : 3, preN: m[5] ? +m[5] : 0,
      branch: (+m[1]) + '.' + (+m[2])
    };
  }

  function cmpTag(a, b) {
    return sign((a.major - b.major) || (a.minor - b.minor) || (a.micro - b.micro) ||
      (a.pre - b.pre) || (a.preN - b.preN));
  }

  function sign(d) { return d < 0 ? -1 : d > 0 ? 1 : 0; }

  // PEP 440, with the spellings it normalizes (v1.0, 1.0ALPHA1, 1.0-1,
  // 1.0c1, 1.0.preview2, 1.0-r3, 1.0_dev4, 1.0+Ubuntu-1).
  var PEP440_RE = new RegExp('^v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)' +
    '(?:[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?(\\d+)?)?' +
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?' +
    '(?:[-_.]?(dev)[-_.]?(\\d+)?)?' +
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$', 'i');
  var PEP440_PRE = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };
  var PEP440_PRE_RANK = { a: 0, b: 1, rc: 2 };

  // num drops leading zeros so that digit strings of any length compare
  // exactly (by length, then text).
  function num(s) { return (s || '0').replace(/^0+(?=\d)/, ''); }

  function cmpNum(a, b) {
    return a.length !== b.length ? sign(a.length - b.length) : a < b ? -1 : a > b ? 1 : 0;
  }

  // fits: a number part must fit 64 bits unsigned, as the Go order requires.
  var MAX_NUM = '18446744073709551615';
  function fits(n) { return cmpNum(n, MAX_NUM) <= 0; }

  function parsePep440(s) {
    var m = PEP440_RE.exec(s);
    if (!m) { return null; }
    for (var i = 1; i < 10; i++) {
      if (m[i] !== undefined && /^\d/.test(m[i]) && !m[i].split('.').map(num).every(fits)) { return null; }
    }
    var release = m[2].split('.').map(num);
    var v = {
      scheme: 'pep440', epoch: num(m[1]), release: release,
      pre: m[3] ? [PEP440_PRE[m[3].toLowerCase()], num(m[4])] : null,
      post: m[5] !== undefined ? num(m[5]) : m[6] ? num(m[7]) : null,
      dev: m[8] ? num(m[9]) : null,
      local: m[10] ? m[10].toLowerCase().split(/[-_.]/).map(function (x) { return /^\d+$/.test(x) && fits(num(x)) ? num(x) : x; }) : null,
      branch: release[0] + '.' + (release.length > 1 ? release[1] : '0')
    };
    v.text = (v.epoch !== '0' ? v.epoch + '!' : '') + release.join('.') +
      (v.pre ? v.pre[0] + v.pre[1] : '') + (v.post !== null ? '.post' + v.post : '') +
      (v.dev !== null ? '.dev' + v.dev : '') + (v.local ? '+' + v.local.join('.') : '');
    return v;
  }

  // cmpKey compares optional parts where "none" sorts below (-1) or above
  // (+1) every value.
  function cmpOpt(a, b, noneRank, cmpVal) {
    if (a === null || b === null) { return a === b ? 0 : (a === null ? noneRank : -noneRank); }
    return cmpVal(a, b);
  }

  function cmpPep440(a, b) {
    var c = cmpNum(a.epoch, b.epoch);
    if (c) { return c; }
    for (var i = 0; i < Math.max(a.release.length, b.release.length); i++) {
      c = cmpNum(a.release[i] || '0', b.release[i] || '0');
      if (c) { return c; }
    }
    // A dev release without pre or post sorts before the pre-releases.
    var preA = a.pre === null && a.post === null && a.dev !== null ? 'dev' : a.pre;
    var preB = b.pre === null && b.post === null && b.dev !== null ? 'dev' : b.pre;
    if (preA === 'dev' || preB === 'dev') {
      if (preA !== preB) { return preA === 'dev' ? -1 : 1; }
    } else {
      c = cmpOpt(preA, preB, 1, function (x, y) {
        return sign(PEP440_PRE_RANK[x[0]] - PEP440_PRE_RANK[y[0]]) || cmpNum(x[1], y[1]);
      });
      if (c) { return c; }
    }
    c = cmpOpt(a.post, b.post, -1, cmpNum) || cmpOpt(a.dev, b.dev, 1, cmpNum);
    if (c) { return c; }
    return cmpOpt(a.local, b.local, -1, cmpLocal);
  }

  // cmpLocal: segment by segment, letters before numbers, numbers by value;
  // a shorter local version sorts first when the rest is equal.
  function cmpLocal(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i++) {
      var na = /^\d+$/.test(a[i]) && fits(a[i]), nb = /^\d+$/.test(b[i]) && fits(b[i]);
      var c = na !== nb ? (na ? 1 : -1) : na ? cmpNum(a[i], b[i]) : (a[i] < b[i] ? -1 : a[i] > b[i] ? 1 : 0);
      if (c) { return c; }
    }
    return sign(a.length - b.length);
  }

  function parseIn(scheme, s) {
    if (typeof s !== 'string') { return null; }
    return scheme === 'pep440' ? parsePep440(s) : parseTag(s);
  }

  function cmp(a, b) { return a.scheme === 'pep440' ? cmpPep440(a, b) : cmpTag(a, b); }



  // ---- What people paste ------------------------------------------------
  // As the CLI reads it (internal/check/input.go): a version, the first line
  // of `python -VV` or of `pip --version`, which then names the product.

  var PYTHON_VV = /^python\s+(\S+)/i;
  var PIP_V = /^pip\s+(\S+)(\s+from\s.*)?$/;

  function readInput(input, selected) {
    var line = input.trim().split('\n')[0].trim();
    var raw = line, detected = '', m;
    if ((m = PYTHON_VV.exec(line))) { detected = 'python'; raw = m[1]; }
    else if ((m = PIP_V.exec(line))) { detected = 'pip'; raw = m[1]; }
    return { line: line, raw: raw, product: detected || selected, detected: detected };
  }

  // ---- Judging one advisory ----------------------------------------------
  // The build judged every advisory for every known release of its product
  // with the one judge (internal/verdict); the browser places the typed
  // version among the known releases and looks the answer up. A version
  // that is not a known release cannot be told.

  function findTag(p, v) {
    for (var i = 0; i < p.keys.length; i++) {
      if (p.keys[i] && p.keys[i].scheme === v.scheme && cmp(p.keys[i], v) === 0) { return i; }
    }
    return -1;
  }

  function ownRow(a, v) {
    for (var i = 0; i < a.branchList.length; i++) {
      if (a.branchList[i].branch === v.branch) { return a.branchList[i]; }
    }
    return null;
  }

  function judge(a, at) {
    var c = a.answers.charAt(at);
    return c === 'a' ? 'affected' : c === 'n' ? 'not' : 'unknown';
  }

  // fixFor names the release that fixes advisory a for version v: the
  // deciding row's, else the lowest fix above v (rows or ECOSYSTEM events).
  function fixFor(a, v, row) {
    var st = statusOf(row);
    if (st && st.fixed && row.fixed_in) { return 'Fixed in ' + display(row.fixed_in); }
    if (st && st.affected && !st.fixed) { return 'Not fixed yet on ' + row.branch; }
    var best = null, bestText = '';
    var consider = function (text) {
      var k = parseIn(v.scheme, text);
      if (k && cmp(k, v) > 0 && (!best || cmp(k, best) < 0)) { best = k; bestText = text; }
    };
    a.branchList.forEach(function (b) { if (b.fixed_in) { consider(b.fixed_in); } });
    (a.ranges || []).forEach(function (r) { r.forEach(function (e) { if (e[0] === 'fixed') { consider(e[1]); } }); });
    return best ? 'Fixed in ' + display(bestText) : 'No fixed release yet';
  }

  // ownFixed: the version's own branch has a fixed release of advisory a.
  function ownFixed(a, v) {
    var r = ownRow(a, v);
    var st = statusOf(r);
    return !!(st && st.fixed && r.fixed_in);
  }

  var SOURCE_NOTE = { computed: 'from the git history', authored: 'from the advisory\u2019s stated releases' };

  function check(idx, selected, input) {
    var out = { messages: [], affected: [], unknown: [], product: selected };
    var inp = readInput(input, selected);
    var productName = inp.product;
    out.product = productName;
    var p = idx.products[productName];
    var title = p ? p.title : productName;
    var example = productName === 'pip' ? '24.0, 23.3.1 or the output of pip --version' :
      '3.12.4, 3.13.0rc1 or the output of python -VV';
    if (!inp.line) {
      out.messages.push(['is-error', 'Type a version, for example ' + example + '.']);
      return out;
    }
    if (!p) {
      out.messages.push(['is-error', 'This database has no product \u201c' + productName + '\u201d.']);
      return out;
    }
    if (/\+$/.test(inp.raw)) {
      out.messages.push(['is-error', '\u201c' + inp.raw.slice(0, 60) + '\u201d is a development build (the trailing + means built after the release ' +
        inp.raw.slice(0, -1).slice(0, 60) + '); check that release instead.']);
      return out;
    }
    var v = parseIn(p.scheme, inp.raw);
    if (!v) {
      out.messages.push(['is-error', '\u201c' + inp.line.slice(0, 60) + '\u201d is not a version number. Type a release such as ' + example + '.']);
      return out;
    }
    var at = findTag(p, v);
    if (at < 0) {
      var newest = null;
      p.keys.forEach(function (k) { if (k && k.scheme === v.scheme && (!newest || cmp(k, newest) > 0)) { newest = k; } });
      var why = newest && cmp(v, newest) > 0 ? ' is newer than every release this database knows' : ' is not a known release of ' + title;
      out.messages.push(['is-unknown', 'Cannot tell: ' + title + ' ' + v.text + why + '. Check the number' +
        (inp.detected ? '.' : ' and the product.')]);
      return out;
    }
    (idx.advisories || []).forEach(function (a) {
      if (a.product !== productName || a.withdrawn) { return; }
      var j = judge(a, at);
      if (j === 'affected') { out.affected.push({ a: a, fix: fixFor(a, v, ownRow(a, v)) }); }
      if (j === 'unknown') { out.unknown.push(a); }
    });
    var n = out.affected.length, u = out.unknown.length;
    var eol = (p.end_of_life || []).indexOf(v.branch) >= 0;
    if (eol) {
      out.affected.forEach(function (x) {
        if (!/^Fixed in /.test(x.fix) || !ownFixed(x.a, v)) {
          x.fix = 'No fix for ' + v.branch + ' (end-of-life)' + (x.a.upgrade_to ? '; fixed in ' + display(x.a.upgrade_to) : '');
        }
      });
      out.messages.push(['is-warn', title + ' ' + v.branch + ' is end-of-life: no fix will come to it. Each advisory names the nearest release of a maintained branch that fixes it, where one does.']);
    }
    if (n) {
      out.messages.push(['is-affected', title + ' ' + v.text + ' is affected by ' + n + (n === 1 ? ' advisory.' : ' advisories.')]);
    } else if (u) {
      out.messages.push(['is-unknown', 'Cannot tell whether ' + title + ' ' + v.text + ' is affected: ' + u +
        (u === 1 ? ' advisory has' : ' advisories have') + ' no version data yet (listed below). No other advisory affects it.']);
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
    if (a.platforms) { li.appendChild(el('span', 'badge badge-platform', a.platforms)); }
    if (note) { li.appendChild(el('span', 'fix-note', note)); }
    if (SOURCE_NOTE[a.source]) { li.appendChild(el('span', 'source-note muted', SOURCE_NOTE[a.source])); }
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
    if (out.unknown.length) {
      box.appendChild(el('h3', null, 'Cannot tell'));
      box.appendChild(el('p', 'muted', 'These advisories have no version data for this version (no computed resolution, and no stated releases that speak for it), ' +
        'so this check cannot say whether they affect this version:'));
      list(out.unknown);
    }
  }

  function initChecker() {
    var form = $('checker');
    if (!form) { return; }
    var product = $('check-product'), version = $('check-version'), box = $('check-result');

    function run() {
      var pname = product.value, input = version.value;
      box.textContent = '';
      box.appendChild(el('p', 'msg', 'Checking\u2026'));
      loadIndex().then(function (idx) {
        var out = check(idx, pname, input);
        if (out.product !== pname && idx.products[out.product]) { product.value = out.product; }
        render(box, out);
        if (window.history && window.history.replaceState && !out.messages.some(function (m) { return m[0] === 'is-error'; })) {
          var params = new URLSearchParams();
          params.set('product', out.product);
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
    enable(form);
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

  // The version orders, for the browser test that compares them with the
  // Go ones (internal/version): compare('pep440', '1.0a1', '1.0') is -1;
  // null when a version does not parse.
  window.advisoryVersions = {
    compare: function (scheme, a, b) {
      var x = parseIn(scheme, a), y = parseIn(scheme, b);
      return x && y ? cmp(x, y) : null;
    },
    // checkAll answers, as the checker does, for every release of a
    // product's index, once the index is loaded: [release, outcome class,
    // affected IDs, cannot-tell IDs] each, for the browser test that
    // compares the checker with advisory check on every known release.
    checkAll: function (product) {
      return loadIndex().then(function (idx) {
        return (idx.products[product].tags || []).map(function (t) {
          var out = check(idx, product, t);
          var ids = function (xs) { return xs.map(function (x) { return (x.a || x).id; }).sort().join(' '); };
          return [t, out.messages.length ? out.messages[out.messages.length - 1][0] : '', ids(out.affected), ids(out.unknown)];
        });
      });
    }
  };

  initFilters();
  initChecker();
  document.documentElement.setAttribute('data-js', 'ready');
}());
