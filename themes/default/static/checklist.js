// wa-docs checklist page. Without this script the page is a printable list. With it each item
// can be marked done, not applicable or open; answers are saved in localStorage per site,
// checklist and lens version; each question's risk comes from the rule trees the build emitted
// (the script never parses or evaluates author text); the state can be shared in the URL
// fragment, reset, downloaded as Markdown, CSV or JSON in the build's own formats, and imported
// back from a JSON or CSV file this page downloaded. Each pillar gets a risk roll-up bar.
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { api.start(document); });
    } else {
      api.start(document);
    }
  }
})(this, function () {
  "use strict";
  var OPEN = "open", DONE = "done", NA = "not_applicable";
  var LABELS = { open: "Open", done: "Done", not_applicable: "Not applicable" };
  var RISK_TEXT = {
    unanswered: "Unanswered", not_applicable: "Not applicable",
    none: "No risk", medium: "Medium risk", high: "High risk"
  };
  var MAX_DEPTH = 200;
  var SVG = "http://www.w3.org/2000/svg", SEGMENTS = ["high", "medium", "none", "not_applicable", "unanswered"];

  function own(o, k) { return o != null && Object.prototype.hasOwnProperty.call(o, k); }

  // --- risk rules: WA Tool semantics over the parsed condition trees -------------------------

  // Does condition tree `c` hold when `sel` (a Set of established ids) is true?
  function holds(c, sel, depth) {
    depth = depth || 0;
    if (!c || typeof c !== "object" || depth > MAX_DEPTH) return false;
    var a = c.args, i;
    switch (c.op) {
      case "default": return true;
      case "choice": return typeof a === "string" && sel.has(a);
      case "not": return !holds(a, sel, depth + 1);
      case "and":
        if (!Array.isArray(a)) return false;
        for (i = 0; i < a.length; i++) if (!holds(a[i], sel, depth + 1)) return false;
        return true;
      case "or":
        if (!Array.isArray(a)) return false;
        for (i = 0; i < a.length; i++) if (holds(a[i], sel, depth + 1)) return true;
        return false;
    }
    return false;
  }

  // First rule whose condition holds gives the risk; null when none does.
  function evaluate(rules, sel) {
    for (var i = 0; rules && i < rules.length; i++) {
      if (holds(rules[i].condition, sel, 0)) return rules[i].risk;
    }
    return null;
  }

  // A question's risk: unanswered while all its items are open, not applicable when all are;
  // otherwise its rules, with done / not-applicable items and the question's best practices the
  // checklist leaves out counting as established.
  function questionRisk(q, st) {
    var items = q.items || [], inScope = new Set(), sel = new Set(), answered = 0, na = 0, i, s;
    for (i = 0; i < items.length; i++) inScope.add(items[i].id);
    (q.choices || []).forEach(function (c) { if (!inScope.has(c)) sel.add(c); });
    for (i = 0; i < items.length; i++) {
      s = st(items[i].id);
      if (s === DONE || s === NA) {
        answered++;
        sel.add(items[i].id);
        if (s === NA) na++;
      }
    }
    if (!answered) return "unanswered";
    if (na === items.length) return "not_applicable";
    var r = evaluate(q.rules, sel);
    return r === "high" || r === "medium" ? r : "none";
  }

  function rollup(questions, st) {
    var n = { high: 0, medium: 0, none: 0, not_applicable: 0, unanswered: 0 };
    questions.forEach(function (q) { n[questionRisk(q, st)]++; });
    return n;
  }

  // --- the checklist data --------------------------------------------------------------------

  function walk(data, fn) {
    (data.lenses || []).forEach(function (l) {
      (l.pillars || []).forEach(function (p) {
        (p.questions || []).forEach(function (q) {
          (q.items || []).forEach(function (i) { fn(l, p, q, i); });
        });
      });
    });
  }

  function lensSummary(data) {
    if (data.kind === "lens") {
      return data.lenses.filter(function (l) { return l.version; })
        .map(function (l) { return "version " + l.version; }).join(", ");
    }
    return (data.lenses || []).map(function (l) {
      return l.version ? l.name + " (version " + l.version + ")" : l.name;
    }).join(", ");
  }

  function countLabel(data) {
    var n = 0;
    walk(data, function () { n++; });
    return n + " best practice" + (n === 1 ? "" : "s");
  }

  function pillarHeading(data, l, p) {
    return data.lenses.length > 1 ? p.name + " (" + l.name + ")" : p.name;
  }

  // --- exports: the same bytes as the build's files, with the reader's statuses --------------

  var UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;

  function oneLine(s) { return String(s).replace(UNSAFE, "").replace(/[\t\n\r]/g, " "); }
  function mdText(s) { return oneLine(s).replace(/[\\`*_[\]<>#|~&$!]/g, "\\$&"); }
  function mdUrl(u) {
    return oneLine(u).replace(/ /g, "%20").replace(/\(/g, "%28").replace(/\)/g, "%29")
      .replace(/</g, "%3C").replace(/>/g, "%3E");
  }
  function mdLink(t, u) { return "[" + mdText(t) + "](" + mdUrl(u) + ")"; }

  function answered(data, st) {
    var any = false;
    walk(data, function (l, p, q, i) { if (st(i.id) !== OPEN) any = true; });
    return any;
  }

  function toMarkdown(data, st) {
    var withRisk = answered(data, st);
    var kind = data.kind === "lens" ? "Lens" : "Scenario";
    var blocks = ["# " + mdText("Checklist: " + data.title)];
    if (data.description) blocks.push(mdText(data.description));
    blocks.push([kind + ": " + mdLink(data.title, data.source_url), mdText(lensSummary(data)),
      mdText(countLabel(data)), mdLink("interactive checklist", data.page_url)]
      .filter(function (m) { return m !== ""; }).join(" · "));
    data.lenses.forEach(function (l) {
      l.pillars.forEach(function (p) {
        blocks.push("## " + mdText(pillarHeading(data, l, p)));
        p.questions.forEach(function (q) {
          blocks.push("### " + mdText(q.id) + " " + mdLink(q.title, q.url));
          if (withRisk) blocks.push("Question risk: **" + RISK_TEXT[questionRisk(q, st)] + "**");
          blocks.push(q.items.map(function (i) {
            var s = st(i.id);
            var line = "- [" + (s === OPEN ? " " : "x") + "] **" + mdText(i.id) + "** " + mdLink(i.title, i.url);
            if (i.risk) line += " · " + i.risk + " risk";
            if (s === NA) line += " · not applicable";
            return line;
          }).join("\n"));
        });
      });
    });
    return blocks.join("\n\n") + "\n";
  }

  function csvField(s) {
    s = String(s).replace(UNSAFE, "");
    return /[,"\r\n]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
  }
  function csvText(s) { return /^[=+\-@\t\r]/.test(s) ? csvField("'" + s) : csvField(s); }

  function toCsv(data, st) {
    var out = "scenario,lens,pillar,question_id,question,item_id,item,risk,url,status\r\n";
    walk(data, function (l, p, q, i) {
      out += [csvField(data.id), csvText(l.name), csvText(p.name), csvField(q.id), csvText(q.title),
        csvField(i.id), csvText(i.title), csvField(i.risk || ""), csvField(i.url), csvField(st(i.id))]
        .join(",") + "\r\n";
    });
    return out;
  }

  // --- import: answers back from a JSON or CSV file the page downloaded ----------------------

  // RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks; lines end
  // in CRLF or LF. Returns null when a quote is left open.
  function parseCsv(text) {
    var rows = [], row = [], field = "", i = 0, n = text.length, c, quoted = false;
    while (i < n) {
      c = text.charAt(i);
      if (quoted) {
        if (c === "\"") {
          if (text.charAt(i + 1) === "\"") { field += "\""; i += 2; continue; }
          quoted = false;
        } else field += c;
        i++;
        continue;
      }
      if (c === "\"" && field === "") quoted = true;
      else if (c === ",") { row.push(field); field = ""; }
      else if (c === "\r" || c === "\n") {
        row.push(field);
        rows.push(row);
        row = [];
        field = "";
        if (c === "\r" && text.charAt(i + 1) === "\n") i++;
      } else field += c;
      i++;
    }
    if (quoted) return null;
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  var STATUSES = { open: OPEN, done: DONE, not_applicable: NA };

  // The answers in an export's text: { id: checklist id or "", answers: [[item id, status]] },
  // or { error: why } when the text is neither a JSON nor a CSV export of a checklist.
  function parseAnswers(text) {
    text = String(text).replace(/^\ufeff/, "");
    var answers = [], bad = null;
    function add(id, s, where) {
      if (typeof id !== "string" || id === "") bad = bad || where + " has no item id";
      else if (!own(STATUSES, s)) bad = bad || where + " (" + id + ") has status " + JSON.stringify(s);
      else answers.push([id, STATUSES[s]]);
    }
    if (/^\s*[{[]/.test(text)) {
      var d;
      try { d = JSON.parse(text); } catch (e) { return { error: "it is not valid JSON" }; }
      if (!d || typeof d !== "object" || !Array.isArray(d.lenses)) return { error: "it has no lenses" };
      var n = 0;
      d.lenses.forEach(function (l) {
        ((l && l.pillars) || []).forEach(function (p) {
          ((p && p.questions) || []).forEach(function (q) {
            ((q && q.items) || []).forEach(function (i) { n++; add(i && i.id, i && i.status, "item " + n); });
          });
        });
      });
      if (bad) return { error: bad };
      return { id: typeof d.id === "string" ? d.id : "", answers: answers };
    }
    var rows = parseCsv(text);
    if (!rows || !rows.length) return { error: "it is neither JSON nor CSV" };
    var head = rows[0], col = function (name) { return head.indexOf(name); };
    var ci = col("item_id"), cs = col("status"), cc = col("scenario");
    if (ci < 0 || cs < 0) return { error: "its first line has no item_id and status columns" };
    var id = "";
    for (var r = 1; r < rows.length; r++) {
      if (rows[r].length === 1 && rows[r][0] === "") continue;
      if (cc >= 0 && !id) id = rows[r][cc] || "";
      add(rows[r][ci], rows[r][cs], "line " + (r + 1));
    }
    if (bad) return { error: bad };
    return { id: id, answers: answers };
  }

  function toJson(data, st) {
    walk(data, function (l, p, q, i) { i.status = st(i.id); });
    return JSON.stringify(data, null, 2) + "\n";
  }

  // --- share links: three statuses per character, tied to the checklist's shape ---------------

  var ALPHA = "0123456789abcdefghijklmnopq", CODE = { open: 0, done: 1, not_applicable: 2 };
  var BY_CODE = [OPEN, DONE, NA];

  function pack(ids, st) {
    var out = "", i, j, v;
    for (i = 0; i < ids.length; i += 3) {
      v = 0;
      for (j = 2; j >= 0; j--) v = v * 3 + (i + j < ids.length ? CODE[st(ids[i + j])] || 0 : 0);
      out += ALPHA.charAt(v);
    }
    return out.replace(/0+$/, "");
  }

  function unpack(ids, text) {
    if (!/^[0-9a-q]*$/.test(text) || text.length > Math.ceil(ids.length / 3)) return null;
    var m = new Map(), i, j, v, k;
    for (i = 0; i < text.length; i++) {
      v = ALPHA.indexOf(text.charAt(i));
      for (j = 0; j < 3; j++) {
        k = i * 3 + j;
        if (k < ids.length && v % 3) m.set(ids[k], BY_CODE[v % 3]);
        v = Math.floor(v / 3);
      }
    }
    return m;
  }

  function hash(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(36);
  }

  // --- the page ------------------------------------------------------------------------------

  function storageOf(win) {
    try {
      var s = win.localStorage, k = "wa-docs:probe";
      s.setItem(k, "1");
      s.removeItem(k);
      return s;
    } catch (e) {
      return null;
    }
  }

  function start(doc) {
    var win = doc.defaultView, dataEl = doc.getElementById("cl-data");
    var list = doc.getElementById("cl"), bar = doc.getElementById("cl-bar");
    if (!win || !dataEl || !list || !bar) return;
    var data;
    try { data = JSON.parse(dataEl.textContent); } catch (e) { return; }
    if (!data || !Array.isArray(data.lenses)) return;

    var items = [], questions = [], pillars = [];
    walk(data, function (l, p, q, i) {
      items.push({ item: i, q: q });
      if (questions[questions.length - 1] !== q) questions.push(q);
      var last = pillars[pillars.length - 1];
      if (!last || last.p !== p) pillars.push({ p: p, qs: [q], items: [i] });
      else {
        if (last.qs[last.qs.length - 1] !== q) last.qs.push(q);
        last.items.push(i);
      }
    });
    var ids = items.map(function (x) { return x.item.id; });
    var state = new Map();
    function st(id) { return state.get(id) || OPEN; }
    var store = storageOf(win);
    var tag = data.lenses.map(function (l) { return l.id + "@" + (l.version || "-"); }).join(",");
    var prefix = "wa-docs:checklist:" + ((data.site && (data.site.url || data.site.title)) || "") + ":" + data.id + ":";
    var key = prefix + tag, shape = hash(tag + "|" + ids.join(","));
    function itemPrint(x) { return hash(x.item.title + "|" + (x.item.risk || "") + "|" + x.q.id); }
    function rulesPrint(q) { return hash(JSON.stringify(q.rules || [])); }

    function el(tag, cls, text) {
      var e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (text != null) e.textContent = text;
      return e;
    }

    var notice = doc.getElementById("cl-notice");
    function say(text, actions, details) {
      if (!notice) return;
      notice.textContent = "";
      notice.appendChild(el("p", null, text));
      if (details && details.length) {
        var ul = el("ul");
        details.forEach(function (d) { ul.appendChild(el("li", null, d)); });
        notice.appendChild(ul);
      }
      (actions || []).forEach(function (a) {
        var b = el("button", null, a[0]);
        b.type = "button";
        b.addEventListener("click", function () { a[1](); });
        notice.appendChild(b);
      });
    }

    // Controls on each item.
    var rows = new Map();
    Array.prototype.forEach.call(list.querySelectorAll("[data-cl-item]"), function (li) {
      rows.set(li.getAttribute("data-cl-item"), { li: li, inputs: [] });
    });
    items.forEach(function (x, n) {
      var row = rows.get(x.item.id);
      if (!row) return;
      var fs = el("fieldset", "cl-state");
      fs.appendChild(el("legend", "visually-hidden", "Status of " + x.item.id + " " + x.item.title));
      [OPEN, DONE, NA].forEach(function (s) {
        var label = el("label", "cl-opt cl-opt-" + s), input = el("input");
        input.type = "radio";
        input.name = "cl-s-" + n;
        input.value = s;
        input.addEventListener("change", function () { if (input.checked) set(x.item.id, s); });
        label.appendChild(input);
        label.appendChild(doc.createTextNode(" " + LABELS[s]));
        fs.appendChild(label);
        row.inputs.push(input);
      });
      row.li.appendChild(fs);
    });
    var qOut = new Map();
    Array.prototype.forEach.call(list.querySelectorAll("[data-cl-question]"), function (e) {
      qOut.set(e.getAttribute("data-cl-question"), e);
    });
    var pOut = [];
    var slots = list.querySelectorAll("[data-cl-pillar]");
    pillars.forEach(function (g, n) {
      var box = slots[n];
      if (!box) return;
      var id = "cl-pp-" + n, label = el("label", null, "Progress");
      label.htmlFor = id;
      label.appendChild(el("span", "visually-hidden", " in " + g.p.name));
      var bar = el("progress");
      bar.id = id;
      bar.max = g.items.length;
      var count = el("span", "cl-count"), risk = el("span", "cl-prisk");
      box.appendChild(label);
      box.appendChild(doc.createTextNode(" "));
      box.appendChild(bar);
      box.appendChild(doc.createTextNode(" "));
      box.appendChild(count);
      box.appendChild(risk);
      var roll = rollupBar(g.p.name);
      box.parentNode.insertBefore(roll.box, box.nextSibling);
      pOut.push({ g: g, bar: bar, count: count, risk: risk, roll: roll });
    });

    // Each pillar folds to its heading and status (a button before its title); which pillars
    // are folded is remembered in this browser per checklist. A link to an item opens its pillar.
    var foldKey = prefix + "folded", folded = {};
    try { folded = JSON.parse((store && store.getItem(foldKey)) || "{}") || {}; } catch (e) { folded = {}; }
    var folds = [];
    function fold(f, shut, keep) {
      f.sec.classList.toggle("is-folded", shut);
      f.btn.setAttribute("aria-expanded", shut ? "false" : "true");
      if (shut) folded[f.id] = 1; else delete folded[f.id];
      if (keep !== false && store) {
        try { store.setItem(foldKey, JSON.stringify(folded)); } catch (e) { /* full */ }
      }
    }
    Array.prototype.forEach.call(list.querySelectorAll(".cl-pillar"), function (sec) {
      var h = sec.querySelector("h3"), slot = sec.querySelector("[data-cl-pillar]");
      if (!h) return;
      var id = slot ? slot.getAttribute("data-cl-pillar") : h.id;
      var btn = el("button", "cl-fold");
      btn.type = "button";
      btn.appendChild(el("span", "visually-hidden", "Questions of " + h.textContent));
      btn.setAttribute("aria-expanded", "true");
      var head = el("div", "cl-phead");
      sec.insertBefore(head, h);
      head.appendChild(btn);
      head.appendChild(h);
      var f = { sec: sec, btn: btn, id: id };
      btn.addEventListener("click", function () { fold(f, !sec.classList.contains("is-folded")); });
      folds.push(f);
      if (own(folded, id)) fold(f, true, false);
    });
    var actions = bar.querySelector(".cl-actions");
    if (actions && folds.length > 1) {
      [["Fold all pillars", true], ["Unfold all pillars", false]].forEach(function (a) {
        var b = el("button", null, a[0]);
        b.type = "button";
        b.addEventListener("click", function () { folds.forEach(function (f) { fold(f, a[1]); }); });
        actions.appendChild(b);
      });
    }
    function unfoldTarget() {
      var t = null;
      try { t = win.location.hash && doc.getElementById(decodeURIComponent(win.location.hash.slice(1))); } catch (e) { t = null; }
      var sec = t && t.closest && t.closest(".cl-pillar.is-folded");
      if (!sec) return;
      folds.forEach(function (f) { if (f.sec === sec) fold(f, false); });
      t.scrollIntoView();
    }
    win.addEventListener("hashchange", unfoldTarget);
    unfoldTarget();

    // Per pillar: an inline SVG bar of its questions by risk, with the numbers as text beside it
    // (the bar itself is decoration for screen readers).
    function rollupBar(name) {
      var box = el("div", "cl-rollup"), svg = doc.createElementNS(SVG, "svg"), rects = {};
      svg.setAttribute("class", "cl-rollup-bar");
      svg.setAttribute("viewBox", "0 0 100 8");
      svg.setAttribute("preserveAspectRatio", "none");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      SEGMENTS.forEach(function (k) {
        var r = doc.createElementNS(SVG, "rect");
        r.setAttribute("class", "cl-seg cl-seg-" + k);
        r.setAttribute("y", "0");
        r.setAttribute("height", "8");
        svg.appendChild(r);
        rects[k] = r;
      });
      var text = el("p", "cl-rollup-text");
      text.setAttribute("data-cl-rollup", name);
      box.appendChild(el("span", "cl-rollup-label", "Questions by risk"));
      box.appendChild(svg);
      box.appendChild(text);
      return { box: box, rects: rects, text: text, name: name };
    }
    function drawRollup(o, n) {
      var total = 0, x = 0;
      SEGMENTS.forEach(function (k) { total += n[k]; });
      SEGMENTS.forEach(function (k) {
        var w = total ? n[k] * 100 / total : 0;
        o.rects[k].setAttribute("x", String(x));
        o.rects[k].setAttribute("width", String(w));
        x += w;
      });
      var parts = [n.high + " high", n.medium + " medium", n.none + " no risk"];
      if (n.not_applicable) parts.push(n.not_applicable + " not applicable");
      parts.push(n.unanswered + " unanswered");
      o.text.textContent = "Questions in " + o.name + ": " + parts.join(", ") + " (of " + total + ")";
    }

    function riskText(n) {
      var parts = [];
      if (n.high) parts.push(n.high + " high");
      if (n.medium) parts.push(n.medium + " medium");
      return parts.length ? "risk: " + parts.join(", ") : "";
    }

    var progress = doc.getElementById("cl-progress"), progressText = doc.getElementById("cl-progress-text");
    var riskOut = doc.getElementById("cl-risk");
    function render() {
      var done = 0, na = 0;
      items.forEach(function (x) {
        var s = st(x.item.id), row = rows.get(x.item.id);
        if (s === DONE) done++;
        if (s === NA) na++;
        if (!row) return;
        row.li.classList.toggle("is-done", s === DONE);
        row.li.classList.toggle("is-na", s === NA);
        row.inputs.forEach(function (i) { i.checked = i.value === s; });
      });
      questions.forEach(function (q) {
        var out = qOut.get(q.id);
        if (!out) return;
        var r = questionRisk(q, st);
        out.textContent = RISK_TEXT[r];
        out.className = "cl-qstatus cl-r-" + r;
      });
      pOut.forEach(function (o) {
        var handled = o.g.items.filter(function (i) { return st(i.id) !== OPEN; }).length;
        o.bar.value = handled;
        o.count.textContent = handled + " of " + o.g.items.length;
        var n = rollup(o.g.qs, st);
        o.risk.textContent = riskText(n);
        drawRollup(o.roll, n);
      });
      if (progress) progress.value = done + na;
      if (progressText) {
        progressText.textContent = (done + na) + " of " + items.length + " handled: " + done + " done, " + na + " not applicable";
      }
      if (riskOut) {
        var n = rollup(questions, st);
        riskOut.textContent = "Questions at high risk: " + n.high + " · medium risk: " + n.medium + " · no risk: " +
          n.none + " · not applicable: " + n.not_applicable + " · unanswered: " + n.unanswered + " (of " +
          questions.length + ")";
      }
    }

    function save() {
      if (!store) return;
      var s = Object.create(null), f = Object.create(null), r = Object.create(null);
      state.forEach(function (v, k) { s[k] = v === DONE ? "d" : "n"; });
      items.forEach(function (x) { f[x.item.id] = itemPrint(x); });
      questions.forEach(function (q) { r[q.id] = rulesPrint(q); });
      try {
        store.setItem(key, JSON.stringify({ v: 1, t: Date.now(), ver: tag, s: s, f: f, r: r }));
      } catch (e) { /* full or forbidden: the page still works */ }
    }
    function read(k) {
      try {
        var v = JSON.parse(store.getItem(k));
        return v && typeof v === "object" && v.v === 1 ? v : null;
      } catch (e) {
        return null;
      }
    }
    function statesOf(saved, only) {
      var m = new Map(), s = (saved && saved.s) || {};
      ids.forEach(function (id) {
        if (!own(s, id) || (only && !only.has(id))) return;
        if (s[id] === "d") m.set(id, DONE);
        else if (s[id] === "n") m.set(id, NA);
      });
      return m;
    }
    function set(id, s) {
      if (s === OPEN) state.delete(id);
      else state.set(id, s);
      save();
      render();
    }
    function replace(next, text, undoText) {
      var before = state;
      state = next;
      save();
      render();
      say(text, undoText && before.size ? [[undoText, function () {
        state = before;
        save();
        render();
        say("Your previous answers are back.");
      }]] : []);
    }

    // Answers saved for an older lens version are offered, with what changed, never reused silently.
    function offerOlder() {
      var best = null, i, k, v;
      for (i = 0; i < store.length; i++) {
        k = store.key(i);
        if (k && k !== key && k.indexOf(prefix) === 0 && (v = read(k)) && (!best || v.t > best.t)) best = v;
      }
      if (!best) return;
      var f = best.f || {}, r = best.r || {}, s = best.s || {}, added = [], changed = [], removed = [], rules = [];
      var current = new Set(ids), same = new Set();
      // Items renamed since (an earlier id listed in `previous-ids`): their answers follow them.
      // An answer saved under an id that now names another item (same id, other title or risk)
      // belongs to the renamed item, not to the new one.
      var renamed = data.renamed || {}, moves = [], movedTo = new Set(), reused = new Set();
      var byId = new Map(items.map(function (x) { return [x.item.id, x]; }));
      Object.keys(f).forEach(function (old) {
        if (!own(renamed, old) || !current.has(renamed[old])) return;
        var now = byId.get(old);
        if (now && f[old] === itemPrint(now)) return;
        moves.push([old, renamed[old]]);
        movedTo.add(renamed[old]);
        if (now) reused.add(old);
      });
      items.forEach(function (x) {
        var id = x.item.id;
        if (movedTo.has(id)) return;
        if (!own(f, id) || reused.has(id)) added.push(id);
        else if (f[id] !== itemPrint(x)) changed.push(id);
        else same.add(id);
      });
      var now = data.lenses.map(function (l) { return l.version; }).filter(Boolean).join(", ") || "this version";
      var answered = { d: "you had marked it done", n: "you had marked it not applicable" };
      Object.keys(f).forEach(function (id) {
        if (current.has(id) || (own(renamed, id) && current.has(renamed[id]))) return;
        removed.push(id + (own(answered, s[id]) ? " (" + answered[s[id]] + ")" : ""));
      });
      questions.forEach(function (q) { if (own(r, q.id) && r[q.id] !== rulesPrint(q)) rules.push(q.id); });
      var details = [];
      if (moves.length) details.push("Renamed (answers follow): " + moves.map(function (m) { return m[0] + " → " + m[1]; }).join(", "));
      if (added.length) details.push("New items: " + added.join(", "));
      if (changed.length) details.push("Changed title or risk: " + changed.join(", "));
      if (removed.length) details.push("Removed in version " + now + ": " + removed.join(", "));
      if (rules.length) details.push("Changed risk rules: " + rules.join(", "));
      if (!details.length) details.push("No item changed.");
      say("You have answers saved for another lens version (" + (best.ver || "unknown") + "); this checklist is for " +
        tag + ". They were not loaded. What changed:", [
        [moves.length ? "Keep my answers for unchanged and renamed items" : "Keep my answers for unchanged items", function () {
          var carried = statesOf(best, same);
          moves.forEach(function (m) {
            if (s[m[0]] === "d") carried.set(m[1], DONE);
            else if (s[m[0]] === "n") carried.set(m[1], NA);
          });
          state.forEach(function (v, id) { carried.set(id, v); });
          replace(carried, "Answers for unchanged and renamed items were carried over; new and changed items are open.");
        }],
        ["Start fresh", function () { save(); say("Starting fresh for this lens version."); }]
      ], details);
    }

    bar.hidden = false;
    var nojs = doc.getElementById("cl-nojs");
    if (nojs) nojs.hidden = true;
    doc.documentElement.classList.add("cl-js");

    var saved = store ? read(key) : null;
    if (saved) state = statesOf(saved);
    else {
      // A page written with answers (`wa-docs checklist --answers`) starts from them.
      items.forEach(function (x) {
        if (x.item.status === DONE || x.item.status === NA) state.set(x.item.id, x.item.status);
      });
    }
    var m = /^#cl=([0-9a-z]+)\.([0-9a-q]*)$/.exec(win.location.hash || "");
    if (m) {
      var shared = m[1] === shape ? unpack(ids, m[2]) : null;
      if (shared) {
        replace(shared, "Showing the answers from a shared link; they are now saved in this browser.",
          "Restore my previous answers");
      } else {
        say("This share link was made for another version of this checklist, so its answers were not applied.");
      }
      try { win.history.replaceState(null, "", win.location.pathname + win.location.search); } catch (e) { /* ignore */ }
    } else if (!store) {
      say("This browser does not let the page save answers; use the share link to keep them.");
    } else if (!saved && !state.size) {
      offerOlder();
    }
    render();

    // Import answers from a JSON or CSV file this page (or `wa-docs checklist`) wrote.
    var importInput = doc.getElementById("cl-import-file");
    function importText(name, text) {
      var got = parseAnswers(text);
      if (got.error) {
        say(name + " is not a checklist export this page can read (" + got.error + "); no answer was changed.");
        return;
      }
      var current = new Set(ids), renamed = data.renamed || {}, next = new Map(), direct = new Set();
      var unknown = [], moves = [], done = 0, na = 0;
      var word = { open: "open", done: "done", not_applicable: "not applicable" };
      got.answers.forEach(function (a) { if (current.has(a[0])) direct.add(a[0]); });
      got.answers.forEach(function (a) {
        var id = a[0], s = a[1];
        if (!current.has(id)) {
          if (own(renamed, id) && current.has(renamed[id])) {
            moves.push(id + " → " + renamed[id]);
            if (direct.has(renamed[id])) return;
            id = renamed[id];
          } else {
            unknown.push(id + " (" + word[s] + ")");
            return;
          }
        }
        if (s === OPEN) next.delete(id);
        else next.set(id, s);
      });
      next.forEach(function (s) { if (s === DONE) done++; else na++; });
      replace(next, "Imported " + name + ": " + done + " done, " + na + " not applicable, the rest open.",
        "Undo import");
      var details = [];
      if (got.id && got.id !== data.id) details.push("The file is for the checklist " + got.id + "; answers for items this checklist shares were imported.");
      if (moves.length) details.push("Renamed (answers follow): " + moves.join(", "));
      if (unknown.length) details.push("Not in this checklist, not imported: " + unknown.join(", "));
      if (details.length && notice) {
        var ul = el("ul");
        details.forEach(function (d) { ul.appendChild(el("li", null, d)); });
        notice.insertBefore(ul, notice.firstChild.nextSibling);
      }
    }
    if (importInput) {
      importInput.addEventListener("change", function () {
        var file = importInput.files && importInput.files[0];
        if (!file) return;
        var reader = new win.FileReader();
        reader.onload = function () {
          importText(file.name, String(reader.result));
          importInput.value = "";
        };
        reader.onerror = function () {
          say("Could not read " + file.name + "; no answer was changed.");
          importInput.value = "";
        };
        reader.readAsText(file);
      });
    }

    var shareBox = doc.getElementById("cl-share"), shareUrl = doc.getElementById("cl-share-url");
    function download(ext, text, type) {
      var a = el("a"), url = URL.createObjectURL(new Blob([text], { type: type }));
      a.href = url;
      a.download = data.id + ext;
      a.hidden = true;
      doc.body.appendChild(a);
      a.click();
      a.remove();
      win.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }
    var actions = {
      share: function () {
        var url = win.location.href.split("#")[0] + "#cl=" + shape + "." + pack(ids, st);
        if (shareUrl) shareUrl.value = url;
        if (shareBox) shareBox.hidden = false;
        if (shareUrl) shareUrl.select();
        var clip = win.navigator.clipboard;
        if (clip && win.isSecureContext) {
          clip.writeText(url).then(function () { say("Share link copied. It holds your answers; anyone who opens it sees them."); },
            function () { say("Copy the share link from the field below."); });
        } else {
          say("Copy the share link from the field below.");
        }
      },
      md: function () { download(".md", toMarkdown(data, st), "text/markdown;charset=utf-8"); },
      csv: function () { download(".csv", toCsv(data, st), "text/csv;charset=utf-8"); },
      json: function () { download(".json", toJson(data, st), "application/json"); },
      reset: function () { replace(new Map(), "Every item is open again.", "Undo reset"); }
    };
    Array.prototype.forEach.call(bar.querySelectorAll("[data-cl-action]"), function (b) {
      var act = actions[b.getAttribute("data-cl-action")];
      if (act) b.addEventListener("click", act);
    });
  }

  return {
    holds: holds, evaluate: evaluate, questionRisk: questionRisk, rollup: rollup,
    toMarkdown: toMarkdown, toCsv: toCsv, toJson: toJson, parseCsv: parseCsv, parseAnswers: parseAnswers,
    pack: pack, unpack: unpack, start: start
  };
});
