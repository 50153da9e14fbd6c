/* The organiser's control room: counters and lists follow the fair live. Any event re-reads the
   counters (stats API, data-stats) and the lists (an HTML fragment, #control-panels' data-url),
   at most a few times a second and never twice at once (GieldaLive.refresher). */
(function () {
  "use strict";
  var script = document.currentScript;
  var panels = document.getElementById("control-panels");
  var refresh = GieldaLive.refresher(function () {
    return Promise.all([
      GieldaLive.json(script.dataset.stats).then(function (s) {
        ["checked_in", "participants", "offers", "needs", "agreements_signed", "points_pledged"].forEach(function (k) {
          var el = document.getElementById("c-" + k); if (el) { el.textContent = s[k]; }
        });
      }).catch(function () {}),
      GieldaLive.fragment(panels.dataset.url).then(function (html) {
        if (html !== null) { panels.innerHTML = html; }
      }).catch(function () {})
    ]);
  }, 300);
  GieldaLive.connect(Number(script.dataset.fair), { "*": refresh }, { scope: "control" });
})();
