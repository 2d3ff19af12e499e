// wa-docs search: queries the static shards the build derives from its tantivy index.
// Ranking mirrors `wa-docs search` (rank in src/search/index.rs): each query word counts once
// with its best stem (the last word also matches every word it begins, a misspelt word the
// words near it); BM25 scores summed, times the share of words matched; one result per page.
// Data files are scripts calling WA_SEARCH.load, so they load from file:// too.
(function (g) {
  "use strict";
  var waiting = {}, loaded = {};
  var S = g.WA_SEARCH = {
    load: function (name, data) {
      loaded[name] = data;
      (waiting[name] || []).forEach(function (f) { f(data); });
      delete waiting[name];
    }
  };
  // Overridden under Node tests; in the browser it injects a script tag.
  S.fetch = function (name) {
    var s = document.createElement("script");
    s.src = S.base + "search/" + name + ".js";
    s.onerror = function () { S.load(name, null); };
    document.head.appendChild(s);
  };
  S.base = "";
  S.get = function (name) {
    if (name in loaded) return Promise.resolve(loaded[name]);
    return new Promise(function (res) {
      if (waiting[name]) waiting[name].push(res);
      else { waiting[name] = [res]; S.fetch(name); }
    });
  };
  // Number strings (DIGITS in src/search/browser.rs): five bits a character, most significant
  // first; a digit of 32 or more says more follow.
  var DIGIT = {};
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, i) { DIGIT[c] = i; });
  S.numbers = function (s) {
    var out = [], n = 0;
    for (var i = 0; i < s.length; i++) {
      var v = DIGIT[s.charAt(i)];
      n = n * 32 + (v & 31);
      if (v < 32) { out.push(n); n = 0; }
    }
    return out;
  };
  // Postings from numbers `a` (from `at` on) as [doc, score, ...], best first. They come in
  // groups of one score: the score (the first as is, then how far below the previous, less
  // one), the group's size less one, then its docs ascending (the first as is, then the gap
  // less one).
  function plist(a, at) {
    var out = [], score = 0;
    for (var i = at, g = 0; i < a.length; g++) {
      score = g ? score - a[i] - 1 : a[i];
      var size = a[i + 1] + 1, doc = 0;
      i += 2;
      for (var k = 0; k < size; k++, i++) {
        doc = k ? doc + a[i] + 1 : a[i];
        out.push(doc, score);
      }
    }
    return out;
  }
  // A stem's head in a shard entry, decoded once: {n: how many postings in all, p: the best}.
  function head(e, i) {
    var d = e.d || (e.d = []);
    if (!d[i]) { var a = S.numbers(e.p[i]); d[i] = { n: a[0], p: plist(a, 1) }; }
    return d[i];
  }
  function chars(s) { return Array.from(s); }
  function key(w) { return chars(w).slice(0, 2).join(""); }
  function bytes(w) { return unescape(encodeURIComponent(w)).length; }
  S.words = function (q, m) {
    return (q.match(/[\p{Alphabetic}\p{N}]+/gu) || []).filter(function (w) { return bytes(w) <= m.maxBytes; })
      .map(function (w) { return w.toLowerCase(); })
      .filter(function (w) { return m.stop.indexOf(w) < 0; });
  };
  function shardName(m, k) {
    var lo = 0, hi = m.shards.length - 1, at = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (m.shards[mid] <= k) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at < 0 ? null : "s" + at;
  }
  function entry(m, k) {
    var n = shardName(m, k);
    return n ? S.get(n).then(function (d) { return d && d[k] ? { e: d[k], shard: n, key: k } : null; }) : Promise.resolve(null);
  }
  // An id as looked up (id_key in src/search/query.rs): lowercase letters and digits only.
  S.idKey = function (q) { return q.toLowerCase().replace(/[^\p{Alphabetic}\p{N}]/gu, ""); };
  // Optimal-string-alignment distance (a swap of neighbours counts one), or -1 above `max`
  // (edit_distance in src/search/index.rs).
  S.distance = function (a, b, max) {
    if (Math.abs(a.length - b.length) > max) return -1;
    var w = b.length + 1, d = [];
    for (var i = 0; i <= a.length; i++) d[i * w] = i;
    for (var j = 0; j < w; j++) d[j] = j;
    for (i = 1; i <= a.length; i++) {
      var rowMin = Infinity;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
        d[i * w + j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > max) return -1;
    }
    v = d[a.length * w + b.length];
    return v <= max ? v : -1;
  };
  // The shard keys searched for words near a word: its first two letters, and its first and
  // third (fuzzy_keys in src/search/query.rs).
  function fuzzyKeys(cs) {
    var k = [cs.slice(0, 2).join("")];
    if (cs.length > 2 && cs[0] + cs[2] !== k[0]) k.push(cs[0] + cs[2]);
    return k;
  }
  // The lists ({x: shard entry, i: stem, w: weight}) a word stands for (word_stems in
  // src/search/query.rs): its own stem; for the last word also every word it begins; for a word
  // of m.fuzzy[0] letters or more that no doc holds, the words within edit distance 1 (2 from 8
  // letters) in the entries `near`.
  function lists(m, x, w, last, near) {
    var out = [];
    function add(e, i, weight) {
      for (var k = 0; k < out.length; k++) if (out[k].x === e && out[k].i === i) { out[k].w = Math.max(out[k].w, weight); return; }
      out.push({ x: e, i: i, w: weight });
    }
    var exact = x && w in x.e.t;
    if (exact) add(x, x.e.t[w], 1);
    if (x && last && chars(w).length >= 2)
      Object.keys(x.e.t).forEach(function (s) { if (s.indexOf(w) === 0) add(x, x.e.t[s], 1); });
    if (!exact) {
      var cs = chars(w), max = cs.length >= 8 ? 2 : 1;
      if (cs.length >= m.fuzzy[0]) near.forEach(function (y) {
        if (y) Object.keys(y.e.t).forEach(function (s) {
          var d = S.distance(cs, chars(s), max);
          if (d > 0) add(y, y.e.t[s], m.fuzzy[1][d]);
        });
      });
    }
    return out;
  }
  // A list's full postings: the head is in the shard; the tail file is loaded only when a
  // query of several words needs exact totals.
  function postings(l, full) {
    var h = head(l.x.e, l.i).p;
    if (!full || !l.x.e.x) return Promise.resolve(h);
    return S.get(l.x.shard + "x").then(function (t) {
      var tail = t && t[l.x.key] && t[l.x.key][l.i];
      return tail ? h.concat(plist(S.numbers(tail), 0)) : h;
    });
  }
  // Per doc, the number of its page (its first doc), from the manifest's run lengths.
  function pageOf(m) {
    if (!m.pageOf) {
      var runs = S.numbers(m.pages), out = [];
      runs.forEach(function (n) { var p = out.length; for (var k = 0; k < n; k++) out.push(p); });
      m.pageOf = out;
    }
    return m.pageOf;
  }
  function better(a, b) { return a.score > b.score || (a.score === b.score && a.doc < b.doc); }
  // Phrases (rerank_phrases in src/search/index.rs): among the first m.phrase[0] hits, a doc
  // whose title holds two neighbouring query words side by side gains m.phrase[1] of its score,
  // shared out over the query's pairs; those hits are then ordered again.
  function same(a, b) {
    if (a === b) return true;
    var k = Math.min(a.length, b.length) - 2;
    return k >= 4 && a.slice(0, k) === b.slice(0, k);
  }
  S.pairs = function (ws, tw) {
    var found = 0;
    for (var i = 0; i + 1 < ws.length; i++) {
      for (var j = 0; j + 1 < tw.length; j++) if (same(ws[i], tw[j]) && same(ws[i + 1], tw[j + 1])) { found++; break; }
    }
    return found;
  };
  function phrase(m, ws, hits) {
    var ph = m.phrase;
    var k = Math.min(ph[0], hits.length), start = hits[0] && hits[0].exact ? 1 : 0;
    if (ws.length < 2 || k <= start) return Promise.resolve(hits);
    var top = hits.slice(start, k);
    return Promise.all(top.map(function (h) { return S.meta(h.doc); })).then(function (metas) {
      top.forEach(function (h, i) {
        var tw = metas[i] ? S.words(metas[i][0], m) : [], p = S.pairs(ws, tw);
        if (p) h.score = h.score + h.score * ph[1] * p / (ws.length - 1);
      });
      top.sort(function (a, b) { return better(a, b) ? -1 : 1; });
      var out = hits.slice(0, start).concat(top, hits.slice(k));
      out.total = hits.total;
      return out;
    });
  }
  // Returns one hit per page, [{doc, matched, score}] ranked, the exact id first (rank in
  // src/search/index.rs): per doc, each word's best weighted stem score, summed, times the
  // share of words matched to the power m.coord; per page its best doc. `.total` counts them.
  S.query = function (q) {
    return S.get("manifest").then(function (m) {
      if (!m) return [];
      var ws = S.words(q, m), idk = S.idKey(q), full = ws.length > 1;
      return Promise.all(ws.map(function (w) { return entry(m, key(w)); }).concat([entry(m, key(idk))]))
        .then(function (es) {
          // Words no doc holds: also load the entries of their other fuzzy key.
          return Promise.all(ws.map(function (w, i) {
            var cs = chars(w);
            if ((es[i] && w in es[i].e.t) || cs.length < m.fuzzy[0]) return [];
            return Promise.all(fuzzyKeys(cs).map(function (k) { return k === key(w) ? es[i] : entry(m, k); }));
          })).then(function (near) { return [es, near]; });
        }).then(function (r) {
          var es = r[0], near = r[1];
          var wl = ws.map(function (w, i) { return lists(m, es[i], w, i === ws.length - 1, near[i]); });
          return Promise.all(wl.map(function (ls) {
            return Promise.all(ls.map(function (l) { return postings(l, full).then(function (p) { return { p: p, w: l.w }; }); }));
          })).then(function (pw) {
            var per = {}, n = ws.length;
            pw.forEach(function (ps) {
              var best = {};
              ps.forEach(function (l) {
                var p = l.p;
                for (var j = 0; j < p.length; j += 2) { var x = p[j + 1] * l.w; if (!(best[p[j]] >= x)) best[p[j]] = x; }
              });
              Object.keys(best).forEach(function (d) {
                var r = per[d] || (per[d] = { doc: +d, matched: 0, score: 0 });
                r.matched++; r.score += best[d];
              });
            });
            var po = pageOf(m), pages = {};
            Object.keys(per).forEach(function (d) {
              var h = per[d], c = 1, ratio = h.matched / n;
              for (var k = 0; k < m.coord; k++) c *= ratio;
              h.score = h.score * c;
              var p = po[h.doc], o = pages[p];
              if (!o || better(h, o)) pages[p] = h;
            });
            var hits = Object.keys(pages).map(function (p) { return pages[p]; });
            hits.sort(function (a, b) { return better(a, b) ? -1 : 1; });
            var ide = es[es.length - 1];
            if (ide && ide.e.i && idk in ide.e.i) {
              var id = ide.e.i[idk];
              hits = [{ doc: id, matched: Infinity, score: Infinity, exact: true }].concat(hits.filter(function (h) { return po[h.doc] !== po[id]; }));
            }
            hits.total = hits.length;
            return phrase(m, ws, hits);
          });
        });
    });
  };
  // A metadata chunk's rows as [title, breadcrumb, url, kind, excerpt]. The file leaves out
  // what repeats (see meta_rows in src/search/browser.rs): a breadcrumb j > 0 is the breadcrumb
  // and title of the row j back, -j that row's breadcrumb; a URL "#a" is anchor a on the page
  // of the row before, "#" alone the anchor `anchor` makes of the title; the kind is its number
  // in the manifest's kind table.
  function anchor(title) {
    return title.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join("-");
  }
  function metaRows(raw, m) {
    var out = [];
    raw.forEach(function (r, i) {
      var c = r[1], u = r[2];
      if (typeof c === "number") {
        var o = out[i - Math.abs(c)];
        c = c < 0 ? o[1] : o[1] ? o[1] + " › " + o[0] : o[0];
      }
      if (u === "#") u += anchor(r[0]);
      if (i && u.charAt(0) === "#") u = out[i - 1][2].split("#")[0] + u;
      out.push([r[0], c, u, m.facets[0][r[3]], r[4]]);
    });
    return out;
  }
  S.meta = function (doc) {
    return S.get("manifest").then(function (m) {
      return S.get("m" + Math.floor(doc / m.chunk)).then(function (rows) {
        if (!rows) return null;
        if (!rows.decoded) rows.decoded = metaRows(rows, m);
        return rows.decoded[doc % m.chunk];
      });
    });
  };
  // Per doc its facet codes [kind, lens, pillar, risk, [scenarios]], from the number string
  // in facets.js (four codes, how many scenarios, their codes), decoded once.
  S.facets = function () {
    return S.get("facets").then(function (fc) {
      if (!fc) return null;
      if (!fc.rows) {
        var a = S.numbers(fc.docs), rows = [];
        for (var i = 0; i < a.length; ) {
          var n = a[i + 4];
          rows.push([a[i], a[i + 1], a[i + 2], a[i + 3], a.slice(i + 5, i + 5 + n)]);
          i += 5 + n;
        }
        fc.rows = rows;
      }
      return fc.rows;
    });
  };
  if (typeof document === "undefined") return;

  // ---- User interface ----
  var body = document.body, input = document.getElementById("wa-q"), panel = document.getElementById("wa-panel");
  var list = document.getElementById("wa-results"), status = document.getElementById("wa-status");
  var facetSel = panel ? panel.querySelectorAll("select[data-facet]") : [];
  S.base = body.getAttribute("data-root") || "";
  var active = -1, seq = 0, FACETS = ["kind", "lens", "pillar", "risk", "scenario"];
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  // Appends `text` to `parent` with query words marked; text only, never HTML.
  function marked(parent, text, words) {
    if (!words.length) { parent.appendChild(document.createTextNode(text)); return parent; }
    var re = new RegExp("(" + words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|") + ")[\\p{Alphabetic}\\p{N}]*", "giu");
    var last = 0, m;
    while ((m = re.exec(text))) {
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el("mark", null, m[0]));
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }
  function stems(words) {
    // Match the start of words so "guardrails" marks "guardrail" and "guardrailing".
    return words.map(function (w) { return chars(w).length > 5 ? chars(w).slice(0, chars(w).length - 2).join("") : w; });
  }
  function href(url, words) {
    var i = url.indexOf("#"), path = i < 0 ? url : url.slice(0, i), frag = i < 0 ? "" : url.slice(i);
    return S.base + path + (words.length ? "?highlight=" + encodeURIComponent(words.join(" ")) : "") + frag;
  }
  function setActive(i) {
    var items = list.querySelectorAll("[role=option]");
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach(function (it, j) { it.setAttribute("aria-selected", j === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }
  function open(show) {
    panel.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
    if (!show) { input.removeAttribute("aria-activedescendant"); active = -1; }
  }
  function filters() {
    var f = {};
    facetSel.forEach(function (s) { if (s.value) f[s.getAttribute("data-facet")] = s.value; });
    return f;
  }
  function fillFacets(m) {
    facetSel.forEach(function (s) {
      if (s.options.length > 1) return;
      m.facets[FACETS.indexOf(s.getAttribute("data-facet"))].filter(Boolean).sort().forEach(function (v) {
        var o = el("option", null, v.replace(/-/g, " "));
        o.value = v;
        s.appendChild(o);
      });
    });
  }
  // Ranked, filtered hits for `q` with the result rows of the first `n`, or null without an index.
  function results(q, f, n) {
    return S.get("manifest").then(function (m) {
      if (!m) return null;
      fillFacets(m);
      return Promise.all([S.query(q), Object.keys(f).length ? S.facets() : null]).then(function (r) {
        var hits = r[0], fc = r[1];
        if (fc) hits = hits.filter(function (h) {
          return Object.keys(f).every(function (k) {
            var i = FACETS.indexOf(k), v = fc[h.doc][i];
            // Scenarios are a list: a practice sits in every checklist that holds it.
            if (Array.isArray(v)) return v.some(function (c) { return m.facets[i][c] === f[k]; });
            return m.facets[i][v] === f[k];
          });
        });
        var shown = hits.slice(0, n);
        return Promise.all(shown.map(function (h) { return S.meta(h.doc); })).then(function (metas) {
          return { words: stems(S.words(q, m)), hits: hits, total: fc ? hits.length : hits.total, metas: metas };
        });
      });
    });
  }
  // A result's link: kind, title, breadcrumb and excerpt, the query's words marked.
  function resultLink(md, words) {
    var a = el("a");
    a.href = href(md[2], words);
    a.appendChild(el("span", "wa-kind", md[3].replace("-", " ")));
    marked(a.appendChild(el("span", "wa-title")), md[0], words);
    if (md[1]) a.appendChild(el("span", "wa-crumb", md[1]));
    if (md[4]) marked(a.appendChild(el("span", "wa-excerpt")), md[4], words);
    return a;
  }
  function countText(total, shown) {
    return total ? total + " result" + (total === 1 ? "" : "s") + (total > shown ? ", showing " + shown : "") : "No results";
  }
  function run() {
    var q = input.value, my = ++seq;
    if (!q.trim()) { list.textContent = ""; status.textContent = ""; open(false); return; }
    results(q, filters(), 10).then(function (r) {
      if (my !== seq) return;
      if (!r) { status.textContent = "Search index not found"; return; }
      list.textContent = "";
      r.metas.forEach(function (md, i) {
        if (!md) return;
        var li = el("li"), a = resultLink(md, r.words);
        li.setAttribute("role", "option");
        li.id = "wa-r" + i;
        li.setAttribute("aria-selected", "false");
        a.tabIndex = -1;
        li.appendChild(a);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); location.href = a.href; });
        list.appendChild(li);
      });
      status.textContent = countText(r.total, r.metas.length);
      if (!r.hits.length) list.appendChild(el("li", "wa-none", "No results for “" + q + "”"));
      open(true);
      if (r.metas.length) setActive(0);
    });
  }
  // ---- The search page: results on the page itself, filters in a collapsible box ----
  var PAGE_RESULTS = 50;
  var pageBox = document.getElementById("wa-search-page");
  var pageInput = pageBox && document.getElementById("wa-page-q");
  var pageList = pageBox && document.getElementById("wa-page-results");
  var pageStatus = pageBox && document.getElementById("wa-page-status");
  var pageSeq = 0;
  if (pageBox) {
    pageBox.hidden = false;
    var filtersBox = document.getElementById("wa-filters");
    // Open on wide screens, closed on phones (where they would push the results down).
    if (filtersBox && g.matchMedia && g.matchMedia("(max-width: 48rem)").matches) filtersBox.open = false;
    facetSel = pageBox.querySelectorAll("select[data-facet]");
  }
  function runPage() {
    var q = pageInput.value, my = ++pageSeq;
    var u = new URL(location.href);
    if (q.trim()) u.searchParams.set("q", q); else u.searchParams.delete("q");
    if (history.replaceState) try { history.replaceState(null, "", u.href); } catch (e) { /* file:// in some browsers */ }
    if (!q.trim()) { pageList.textContent = ""; pageStatus.textContent = ""; return; }
    results(q, filters(), PAGE_RESULTS).then(function (r) {
      if (my !== pageSeq) return;
      if (!r) { pageStatus.textContent = "Search index not found"; return; }
      pageList.textContent = "";
      r.metas.forEach(function (md) { if (md) pageList.appendChild(el("li")).appendChild(resultLink(md, r.words)); });
      pageStatus.textContent = r.hits.length ? countText(r.total, r.metas.length) : "No results for “" + q + "”";
    });
  }
  if (pageBox && pageInput) {
    var pt;
    pageInput.addEventListener("input", function () { clearTimeout(pt); pt = setTimeout(runPage, 60); });
    pageInput.form.addEventListener("submit", function (e) { e.preventDefault(); runPage(); });
    facetSel.forEach(function (s) { s.addEventListener("change", runPage); });
    var pq = new URLSearchParams(location.search).get("q");
    if (pq) { pageInput.value = pq; runPage(); }
  }
  if (input && panel) {
    var t;
    input.addEventListener("input", function () { clearTimeout(t); t = setTimeout(run, 60); });
    if (!pageBox) facetSel.forEach(function (s) { s.addEventListener("change", run); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (panel.hidden) run(); else setActive(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); setActive(active - 1); }
      else if (e.key === "Enter") {
        var cur = list.querySelector("[aria-selected=true] a");
        if (cur) { e.preventDefault(); location.href = cur.href; }
      } else if (e.key === "Escape") { if (!panel.hidden) { e.preventDefault(); open(false); } else input.value = ""; }
    });
    input.addEventListener("focus", function () { S.get("manifest"); if (input.value.trim() && panel.hidden) run(); });
    input.addEventListener("blur", function () { setTimeout(function () { if (!panel.contains(document.activeElement)) open(false); }, 150); });
    document.addEventListener("keydown", function (e) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((e.target || {}).tagName || "") || (e.target || {}).isContentEditable;
      if ((e.key === "/" && !typing) || (e.key === "k" && (e.ctrlKey || e.metaKey))) { e.preventDefault(); input.focus(); input.select(); }
    });
  }
  // ---- Highlight the words a result was found by ----
  var hl = new URLSearchParams(location.search).get("highlight"), art = document.querySelector("article");
  if (hl && art) {
    var ws = hl.split(/\s+/).filter(Boolean), nodes = [], walker = document.createTreeWalker(art, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) if (!/^(SCRIPT|STYLE)$/.test(walker.currentNode.parentNode.nodeName)) nodes.push(walker.currentNode);
    nodes.forEach(function (n) {
      var frag = marked(document.createDocumentFragment(), n.nodeValue, ws);
      if (frag.childNodes.length > 1) n.parentNode.replaceChild(frag, n);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || (input && document.activeElement === input)) return;
      art.querySelectorAll("mark").forEach(function (m) { m.replaceWith(document.createTextNode(m.textContent)); });
      art.normalize();
    });
  }
})(typeof window !== "undefined" ? window : globalThis);
