// Python Security Advisories: the search engine behind the index filters
// and the version checker. It fetches, parses and searches
// search-index.json. The page's script (app.js) runs it as a Web Worker, so
// that a database of any size never blocks the page; where there is no
// worker (file://, an old browser, a worker that fails to start) the page
// loads this file as a script and calls the same functions itself.
// No dependencies.
(function (global) {
  'use strict';

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
    global.onmessage = function (e) {
      var d = e.data || {};
      callMethod(d.method, d.url, d.args).then(function (result) {
        global.postMessage({ id: d.id, result: result });
      }, function (err) {
        global.postMessage({ id: d.id, error: String((err && err.message) || err) });
      });
    };
    return;
  }

  // ---- In the page: what app.js calls ------------------------------------

  global.advisorySearch = {
    call: callMethod,
    matches: matches,
    // compare orders two versions of a scheme as internal/version does:
    // compare('pep440', '1.0a1', '1.0') is -1; null when one does not parse.
    compare: function (scheme, a, b) {
      var x = parseIn(scheme, a), y = parseIn(scheme, b);
      return x && y ? cmp(x, y) : null;
    }
  };
}(self));
