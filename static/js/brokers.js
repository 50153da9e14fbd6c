/* The brokers' worklist follows the fair live: a new, changed or withdrawn post, an agreement, an
   introduction re-reads the panels (an HTML fragment, #worklist's data-url), at most a few times a
   second and never twice at once (GieldaLive.refresher). Its notices (a new post with matches)
   show through static/js/notices.js, on this page's connection. */
(function () {
  "use strict";
  var script = document.currentScript;
  var worklist = document.getElementById("worklist");
  var refresh = GieldaLive.refresher(function () {
    return GieldaLive.fragment(worklist.dataset.url).then(function (html) {
      if (html !== null) { worklist.innerHTML = html; }
    }).catch(function () {});
  }, 300);
  GieldaLive.connect(Number(script.dataset.fair), { "*": refresh }, { scope: "brokers" });
})();
