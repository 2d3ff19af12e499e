// wa-docs default theme script. Everything works without it; it adds the theme toggle and
// follows old #anchors (from an earlier lens version) to where their topics went.
(function () {
  "use strict";
  var root = document.documentElement;
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
