// Redirect pages at old URLs: an old #anchor that moved elsewhere goes to its new home; any other
// fragment (a checklist share link, say) is carried to the new page. Without JavaScript the
// page's meta refresh leads to the same page, without the fragment.
(function () {
  var me = document.currentScript;
  var to = me.getAttribute("data-to");
  var moved = {};
  try { moved = JSON.parse(me.getAttribute("data-moved") || "{}"); } catch (e) { /* keep {} */ }
  var hash = location.hash.slice(1);
  var key = hash;
  try { key = decodeURIComponent(hash); } catch (e) { /* keep it raw */ }
  var dest = to;
  if (Object.prototype.hasOwnProperty.call(moved, key)) dest = moved[key];
  else if (hash) dest = to.split("#")[0] + "#" + hash;
  location.replace(dest);
})();
