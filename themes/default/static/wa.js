// wa-docs default theme script. Everything works without it; it builds the search panel,
// adds the theme toggle and follows old #anchors (from an earlier lens version) to where
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
  // On small screens the menu starts closed, so the page opens on its content.
  var sidebar = document.getElementById("sidebar");
  if (sidebar && matchMedia("(max-width: 48rem)").matches) sidebar.open = false;
  // The header's "Menu" link opens the menu it jumps to.
  var openMenu = function () { if (sidebar && location.hash === "#sidebar") sidebar.open = true; };
  window.addEventListener("hashchange", openMenu);
  openMenu();
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
