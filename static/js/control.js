/* The organiser's control room: counters and lists follow the fair live. Any event re-reads the
   counters (stats API) and the lists (an HTML fragment), at most a few times a second. */
(function () {
  "use strict";
  var script = document.currentScript;
  var panels = document.getElementById("control-panels");
  var pending = null;
  function refresh() {
    if (pending) { return; }
    pending = setTimeout(function () {
      pending = null;
      fetch(script.dataset.stats, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
        ["checked_in", "participants", "offers", "needs", "agreements_signed", "points_pledged"].forEach(function (k) {
          var el = document.getElementById("c-" + k); if (el) { el.textContent = s[k]; }
        });
      }).catch(function () {});
      fetch(panels.dataset.url, { cache: "no-store", credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null) { panels.innerHTML = html; } }).catch(function () {});
    }, 300);
  }
  GieldaLive.connect(Number(script.dataset.fair), { "*": refresh }, { scope: "control" });
})();
