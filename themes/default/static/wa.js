// wa-docs default theme script. Everything works without it; it builds the search panel,
// adds the theme toggle, runs the drawers and scroll-spy, copies code, and follows old #anchors (from an earlier lens version) to where
// their topics went.
(function () {
  "use strict";
  var root = document.documentElement;
  // The search box's panel (facets and results) is only usable with JavaScript, so it is
  // built here rather than carried by every page. This script runs before search.js (both
  // are deferred, in document order), which finds the panel by id.
  var q = document.getElementById("wa-q");
  if (q && !document.getElementById("wa-panel")) {
    var make = function (tag, attrs, text) {
      var e = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text) e.textContent = text;
      return e;
    };
    var help = make("span", { id: "wa-help", "class": "visually-hidden" },
      "Type to search; arrow keys choose a result, Enter opens it, Escape closes.");
    var panel = make("div", { id: "wa-panel", "class": "search-panel", hidden: "" });
    var facets = make("div", { "class": "facets" });
    [["Kind", "kind"], ["Lens", "lens"], ["Pillar", "pillar"], ["Risk", "risk"], ["Scenario", "scenario"]].forEach(function (f) {
      var label = make("label", {}, f[0] + " ");
      var select = make("select", { "data-facet": f[1] });
      select.appendChild(make("option", { value: "" }, "Any"));
      label.appendChild(select);
      facets.appendChild(label);
    });
    panel.appendChild(facets);
    panel.appendChild(make("ul", { id: "wa-results", role: "listbox", "aria-label": "Search results" }));
    q.after(help, panel);
    [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-expanded", "false"],
      ["aria-controls", "wa-results"], ["aria-describedby", "wa-help"]].forEach(function (a) { q.setAttribute(a[0], a[1]); });
  }
  var toggle = document.getElementById("theme-toggle");
  if (toggle) {
    toggle.hidden = false;
    var current = function () {
      return root.dataset.theme || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
    };
    var label = function () {
      toggle.setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
      toggle.title = current() === "dark" ? "Dark theme (switch to light)" : "Light theme (switch to dark)";
    };
    label();
    toggle.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("wa-theme", next); } catch (e) { /* private mode */ }
      label();
    });
  }
  // Drawers (the menu and "On this page" on narrower screens). Without this script the
  // header's links open them by :target; here they open in place, Escape or a click outside
  // shuts them, and focus goes back to the link that opened them.
  var openDrawer = null, opener = null;
  var shut = function (back) {
    if (!openDrawer) return;
    openDrawer.classList.remove("is-open");
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (back) opener.focus();
    }
    openDrawer = opener = null;
  };
  var open = function (drawer, from) {
    shut(false);
    drawer.classList.add("is-open");
    openDrawer = drawer;
    opener = from;
    if (from) from.setAttribute("aria-expanded", "true");
    var first = drawer.querySelector(".drawer-close");
    if (first) first.focus();
    var cur = drawer.querySelector("[aria-current=page], .is-current a");
    if (cur) reveal(drawer, cur);
  };
  // Scrolls `box` (not the page) so that `el` sits in its upper third.
  var reveal = function (box, el) {
    var b = box.getBoundingClientRect(), e = el.getBoundingClientRect();
    if (e.top < b.top + 40 || e.bottom > b.bottom - 40) box.scrollTop += e.top - b.top - box.clientHeight / 3;
  };
  var drawn = function (d) { return getComputedStyle(d).position === "fixed"; };
  Array.prototype.forEach.call(document.querySelectorAll(".jump a"), function (a) {
    var drawer = document.getElementById(a.getAttribute("href").slice(1));
    if (!drawer) return;
    a.setAttribute("aria-controls", drawer.id);
    a.setAttribute("aria-expanded", "false");
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      if (openDrawer === drawer) shut(true); else open(drawer, a);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".drawer-close"), function (c) {
    c.setAttribute("role", "button");
    c.addEventListener("click", function (ev) { ev.preventDefault(); shut(true); });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && openDrawer) { ev.preventDefault(); shut(true); }
  });
  document.addEventListener("click", function (ev) {
    if (openDrawer && !openDrawer.contains(ev.target) && !(opener && opener.contains(ev.target))) shut(false);
  });
  // A link inside a drawer leads somewhere on this page or away: either way the drawer closes.
  Array.prototype.forEach.call(document.querySelectorAll(".drawer nav a, .toc li a"), function (a) {
    a.addEventListener("click", function () { if (openDrawer) shut(false); });
  });
  // A page opened at #sidebar or #contents (a bookmark of the no-script drawer).
  var hashDrawer = document.getElementById(location.hash.slice(1));
  if (hashDrawer && hashDrawer.classList.contains("drawer")) {
    var from = document.querySelector('.jump a[href="#' + hashDrawer.id + '"]');
    history.replaceState(null, "", location.pathname + location.search);
    if (drawn(hashDrawer) || getComputedStyle(hashDrawer).display === "none") open(hashDrawer, from);
  }
  // The current page, scrolled into view in the sidebar's own scroll area.
  var sidebar = document.getElementById("sidebar");
  var here = sidebar && sidebar.querySelector("[aria-current=page]");
  if (here && !drawn(sidebar)) reveal(sidebar, here);

  // Scroll-spy: "On this page" marks the section being read and keeps it in view.
  var toc = document.getElementById("contents");
  if (toc) {
    var spots = [];
    Array.prototype.forEach.call(toc.querySelectorAll("li a[href^='#']"), function (a) {
      var id = a.getAttribute("href").slice(1), h = null;
      try { h = document.getElementById(decodeURIComponent(id)); } catch (e) { /* bad escape */ }
      if (h) spots.push({ h: h, li: a.parentNode });
    });
    var spyAt = null, queued = false;
    var spy = function () {
      queued = false;
      var line = parseFloat(getComputedStyle(document.querySelector(".top")).height || "0") + 24, at = null;
      for (var i = 0; i < spots.length; i++) {
        var r = spots[i].h.getBoundingClientRect();
        if (r.height === 0 && r.width === 0) continue;
        if (r.top <= line) at = spots[i]; else break;
      }
      if (!at && spots.length) at = spots[0];
      if (at === spyAt) return;
      if (spyAt) { spyAt.li.classList.remove("is-current"); spyAt.li.firstChild.removeAttribute("aria-current"); }
      spyAt = at;
      if (at) {
        at.li.classList.add("is-current");
        at.li.firstChild.setAttribute("aria-current", "location");
        if (!drawn(toc)) reveal(toc, at.li);
      }
    };
    var later = function () { if (!queued) { queued = true; requestAnimationFrame(spy); } };
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
    spy();
  }

  // A link to something inside a closed <details> (a folded section) opens it.
  var unfold = function () {
    var id = location.hash.slice(1), t = null;
    try { t = id && document.getElementById(decodeURIComponent(id)); } catch (e) { /* bad escape */ }
    var opened = false;
    for (var d = t; d; d = d.parentElement) if (d.tagName === "DETAILS" && !d.open) { d.open = opened = true; }
    if (opened) t.scrollIntoView();
  };
  window.addEventListener("hashchange", unfold);
  if (location.hash) unfold();

  // Areas that scroll sideways (wide tables, diagrams, the heat map) say so, and can be
  // scrolled from the keyboard.
  var marks = function () {
    Array.prototype.forEach.call(document.querySelectorAll("article .scroll, article > table, article figure"), function (el) {
      var wide = el.scrollWidth > el.clientWidth + 1;
      el.classList.toggle("is-scrollable", wide);
      if (wide && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        if (el.tagName === "DIV" && !el.hasAttribute("role")) el.setAttribute("role", "region");
        if (!el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby")) {
          el.setAttribute("aria-label", (el.tagName === "TABLE" ? "Table" : el.tagName === "FIGURE" ? "Figure" : "Wide content") + ", scrolls sideways");
        }
      }
    });
  };
  marks();
  window.addEventListener("resize", marks);
  // Code that scrolls sideways takes focus, so the keyboard can scroll it.
  Array.prototype.forEach.call(document.querySelectorAll("article pre:not([tabindex])"), function (pre) {
    if (pre.scrollWidth > pre.clientWidth + 1) pre.setAttribute("tabindex", "0");
  });

  // Code blocks get a copy button.
  if (navigator.clipboard) {
    Array.prototype.forEach.call(document.querySelectorAll("article pre"), function (pre) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "copy";
      b.textContent = "Copy";
      b.setAttribute("aria-label", "Copy code");
      b.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        navigator.clipboard.writeText(code.innerText.replace(/\n$/, "")).then(function () {
          b.textContent = "Copied";
          setTimeout(function () { b.textContent = "Copy"; }, 1500);
        }, function () { b.textContent = "Copy failed"; });
      });
      var wrap = document.createElement("div");
      wrap.className = "code-wrap";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      wrap.appendChild(b);
    });
  }
  // Anchors this page had in an earlier lens version and that moved elsewhere.
  var movedAttr = document.body.getAttribute("data-moved");
  if (movedAttr) {
    var moved = {};
    try { moved = JSON.parse(movedAttr); } catch (e) { /* keep {} */ }
    var follow = function () {
      var key = location.hash.slice(1);
      try { key = decodeURIComponent(key); } catch (e) { /* keep it raw */ }
      if (key && !document.getElementById(key) && Object.prototype.hasOwnProperty.call(moved, key)) {
        location.replace(moved[key]);
      }
    };
    follow();
    window.addEventListener("hashchange", follow);
  }
})();
