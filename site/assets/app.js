// Python Security Advisories: index filters and the version checker.
// No dependencies; builds DOM nodes with textContent only (no innerHTML).
//
// The same file runs twice: on the page (the controls and what they show)
// and, where the browser allows, as a Web Worker that fetches, parses and
// searches search-index.json, so that a database of any size never blocks
// the page. Without a worker (file://, an old browser) the page does the
// same work itself, through the same functions.
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

  function display(tag) {
    return /^v\d/.test(tag) ? tag.slice(1) : tag;
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

  // ---- The JSON index ------------------------------------------------------
  // Loaded once per context, on first use (a filter over a paged index, the
  // checker, or focus on either), never when the page loads.

  var indexes = {};

  function loadIndex(url) {
    if (!indexes[url]) {
      indexes[url] = fetch(url, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      }).then(prepare);
      indexes[url].catch(function () { delete indexes[url]; });
    }
    return indexes[url];
  }

  var NO_PRODUCT = { tags: [], keys: [] };

  // prepare parses the products' release tags and gives each advisory what
  // the filters read. The verdicts stay run-length encoded until asked.
  function prepare(idx) {
    idx.products = idx.products || {};
    idx.advisories = idx.advisories || [];
    Object.keys(idx.products).forEach(function (name) {
      var p = idx.products[name];
      p.tags = p.tags || [];
      p.keys = p.tags.map(function (t) { return parseIn(p.scheme, t); });
    });
    idx.advisories.forEach(function (a) {
      var p = productOf(idx, a);
      var tag = function (i) { return i >= 0 && i < p.tags.length ? p.tags[i] : ''; };
      a.branchList = (a.branches || []).map(function (b) {
        return { branch: b[0], status: b[1], first: tag(b[2]), last: tag(b[3]), fixed_in: tag(b[4]) };
      });
      a.productTitle = p.title || a.product;
      a.q = [a.id, a.title, a.productTitle].concat(a.aliases || [], a.components || []).join(' ').toLowerCase();
    });
    return idx;
  }

  function productOf(idx, a) {
    return Object.prototype.hasOwnProperty.call(idx.products, a.product) ? idx.products[a.product] : NO_PRODUCT;
  }

  // runsOf reads the build's run-length answers ("120n30a5u") into
  // [end, answer, end, answer, …], ends counted in releases. Reading stops
  // at anything malformed; every release past the last run reads 'u'
  // (cannot tell), never 'n'.
  function runsOf(a) {
    if (!a.runs) {
      var out = [], m, re = /(\d+)([anu])/g, at = 0, end = 0, s = a.verdicts || '';
      while ((m = re.exec(s)) && m.index === at) {
        end += parseInt(m[1], 10);
        out.push(end, m[2]);
        at = re.lastIndex;
      }
      a.runs = out;
    }
    return a.runs;
  }

  // answerAt is the build's answer for advisory a at release index i of its
  // product: 'a' affected, 'n' not affected, 'u' cannot tell.
  function answerAt(a, i) {
    var runs = runsOf(a);
    for (var j = 0; j < runs.length; j += 2) {
      if (i < runs[j]) { return runs[j + 1]; }
    }
    return 'u';
  }

  // branchKeys: " 3.12 3.11 ", the branches with a release the build calls
  // affected, for the "Affected branch" filter; worked out when first asked,
  // each release's branch as the build names it (tag_branches).
  function branchKeys(idx, a) {
    if (a.branchKeys === undefined) {
      var p = productOf(idx, a), runs = runsOf(a), branches = [], from = 0;
      for (var j = 0; j < runs.length; j += 2) {
        for (var i = from; runs[j + 1] === 'a' && i < runs[j] && i < p.keys.length; i++) {
          var br = p.tag_branches ? p.tag_branches[i] : p.keys[i] && p.keys[i].branch;
          if (br && branches.indexOf(br) < 0) { branches.push(br); }
        }
        from = runs[j];
      }
      a.branchKeys = ' ' + branches.join(' ') + ' ';
    }
    return a.branchKeys;
  }

  function matches(c, r) {
    if ((c.sev && r.sev !== c.sev) || (c.product && r.product !== c.product) ||
      (c.branch && r.branches().indexOf(' ' + c.branch + ' ') < 0)) { return false; }
    for (var j = 0; j < c.terms.length; j++) {
      if (r.q.indexOf(c.terms[j]) < 0) { return false; }
    }
    return true;
  }

  // rowView is what the page needs to list advisory a as the server does.
  function rowView(a) {
    return {
      id: a.id, title: a.title, severity: a.severity, withdrawn: !!a.withdrawn,
      cves: (a.aliases || []).filter(function (x) { return /^CVE-/.test(x); }),
      productTitle: a.productTitle, published: a.published, url: a.url,
      components: a.components || [], source: a.source || '', platforms: a.platforms || '',
      fixes: a.branchList.filter(function (b) { var st = statusOf(b); return !st || st.affected; }).map(function (b) {
        return [b.branch, b.fixed_in ? display(b.fixed_in) : ''];
      })
    };
  }

  // filterIndex lists every advisory that matches criteria c: the indexes
  // of all matches, and the views of the first n.
  function filterIndex(idx, c, n) {
    var matched = [];
    idx.advisories.forEach(function (a, i) {
      var r = { q: a.q, sev: a.severity, product: a.product, branches: function () { return branchKeys(idx, a); } };
      if (matches(c, r)) { matched.push(i); }
    });
    return { total: idx.advisories.length, matched: matched, rows: rowsOf(idx, matched.slice(0, n)) };
  }

  function rowsOf(idx, which) {
    return which.filter(function (i) { return idx.advisories[i]; }).map(function (i) { return rowView(idx.advisories[i]); });
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
    var c = answerAt(a, at);
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
    var p = Object.prototype.hasOwnProperty.call(idx.products, productName) ? idx.products[productName] : null;
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

  // itemView is one advisory of the checker's answer.
  function itemView(a, fix) {
    return {
      id: a.id, title: a.title, severity: a.severity, url: a.url,
      platforms: a.platforms || '', source: a.source || '', fix: fix || ''
    };
  }

  // checkView answers as check does, with the slices of the two lists the
  // page asks for ({affected: [from, count], unknown: [from, count]}) and
  // their lengths.
  function checkView(idx, product, input, want) {
    var out = check(idx, product, input);
    var slice = function (xs, w) {
      w = w || [0, 0];
      return xs.slice(w[0], w[0] + w[1]).map(function (x) { return itemView(x.a || x, x.fix); });
    };
    return {
      messages: out.messages, product: out.product,
      nAffected: out.affected.length, nUnknown: out.unknown.length,
      affected: slice(out.affected, want.affected), unknown: slice(out.unknown, want.unknown)
    };
  }

  // checkAll answers, as the checker does, for every release of a product:
  // [release, outcome class, affected IDs, cannot-tell IDs] each.
  function checkAll(idx, product) {
    var p = idx.products[product] || NO_PRODUCT;
    return p.tags.map(function (t) {
      var out = check(idx, product, t);
      var ids = function (xs) { return xs.map(function (x) { return (x.a || x).id; }).sort().join(' '); };
      return [t, out.messages.length ? out.messages[out.messages.length - 1][0] : '', ids(out.affected), ids(out.unknown)];
    });
  }

  // The engine's methods: each takes the index's address and its arguments
  // and returns a promise of something a worker can post.
  var METHODS = {
    load: function (url) { return loadIndex(url).then(function () { return true; }); },
    filter: function (url, args) { return loadIndex(url).then(function (idx) { return filterIndex(idx, args[0], args[1]); }); },
    rows: function (url, args) { return loadIndex(url).then(function (idx) { return rowsOf(idx, args[0]); }); },
    check: function (url, args) { return loadIndex(url).then(function (idx) { return checkView(idx, args[0], args[1], args[2]); }); },
    checkAll: function (url, args) { return loadIndex(url).then(function (idx) { return checkAll(idx, args[0]); }); }
  };

  function callMethod(method, url, args) {
    return Promise.resolve().then(function () {
      if (!Object.prototype.hasOwnProperty.call(METHODS, method)) { throw new Error('no method ' + method); }
      return METHODS[method](url, args || []);
    });
  }

  // ---- In a worker: answer the page -------------------------------------

  if (typeof document === 'undefined') {
    self.onmessage = function (e) {
      var d = e.data || {};
      callMethod(d.method, d.url, d.args).then(function (result) {
        self.postMessage({ id: d.id, result: result });
      }, function (err) {
        self.postMessage({ id: d.id, error: String((err && err.message) || err) });
      });
    };
    return;
  }

  // ---- On the page ---------------------------------------------------------

  var scriptURL = document.currentScript ? document.currentScript.src : '';
  var indexURL = new URL('search-index.json', window.location.href).href;

  // engine calls a method in the worker, started on first use, or in the
  // page when there is no worker (file://, a browser without workers, or a
  // worker that failed to start).
  var engine = (function () {
    var worker = null, next = 0, pending = {};
    function start() {
      if (worker === null) {
        worker = false;
        if (typeof Worker === 'function' && scriptURL && window.location.protocol !== 'file:') {
          try {
            worker = new Worker(scriptURL);
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
        callMethod(p.method, indexURL, p.args).then(p.resolve, p.reject);
      });
    }
    return function (method, args) {
      var w = start();
      if (!w) { return callMethod(method, indexURL, args); }
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

  function initFilters() {
    var form = $('filters');
    var list = $('advisories');
    if (!form || !list) { return; }
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
    moreButton.addEventListener('click', showMore);
    if (!complete) { form.addEventListener('focusin', prefetch); } // load the index while the reader types
    enable(form);
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
    // product's index: [release, outcome class, affected IDs, cannot-tell
    // IDs] each, for the browser test that compares the checker with
    // advisory check on every known release.
    checkAll: function (product) { return engine('checkAll', [product]); }
  };

  initFilters();
  initChecker();
  document.documentElement.setAttribute('data-js', 'ready');
}());
