// wa-docs serve: live reload and build errors shown in the page. Injected by the dev server only.
(function () {
  "use strict";
  var KEY = "wa-serve-scroll:" + location.pathname;
  try {
    var y = sessionStorage.getItem(KEY);
    if (y !== null) { sessionStorage.removeItem(KEY); addEventListener("load", function () { scrollTo(0, +y); }); }
  } catch (e) { /* storage disabled */ }
  var box;
  function hideError() { if (box) { box.remove(); box = null; } }
  function showError(payload) {
    hideError();
    box = document.createElement("div");
    box.id = "wa-serve-error";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:99999;" +
      "background:#1b1f24;color:#ffd7d5;font:13px/1.45 ui-monospace,Menlo,monospace;padding:12px 16px;" +
      "border-top:4px solid #ff6b6b;white-space:pre-wrap";
    var head = document.createElement("strong");
    head.textContent = "Build failed — the last good version is shown. Fix the problem and save; this clears itself.\n\n";
    box.appendChild(head);
    (payload.diagnostics || []).forEach(function (d) {
      var pre = document.createElement("div");
      pre.textContent = d.report + "\n";
      box.appendChild(pre);
    });
    document.body.appendChild(box);
  }
  function reloadCss() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href);
      u.searchParams.set("wa-reload", Date.now());
      l.href = u.toString();
    });
  }
  var es = new EventSource("/__wa/events");
  es.addEventListener("reload", function (e) {
    var data = JSON.parse(e.data || "{}");
    hideError();
    if (data.css_only) { reloadCss(); return; }
    try { sessionStorage.setItem(KEY, String(scrollY)); } catch (err) { /* ignore */ }
    location.reload();
  });
  es.addEventListener("build-error", function (e) { showError(JSON.parse(e.data)); });
  es.addEventListener("ok", hideError);
})();
