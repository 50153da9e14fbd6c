/* Agreement pages follow their agreements live: when the one on the page (data-agreement), or on
   a list page any of mine, changes, the page says so and reloads. */
(function () {
  "use strict";
  var script = document.currentScript;
  var watched = script.dataset.agreement ? Number(script.dataset.agreement) : null;
  function changed(d) {
    if (watched === null || d.id === watched) {
      var bar = document.getElementById("live-notice");
      if (bar) { bar.textContent = script.dataset.notice; bar.hidden = false; }
      window.location.reload();
    }
  }
  var handlers = {};
  ["agreement.drafted", "agreement.updated", "agreement.signature_added", "agreement.awaiting_notary",
   "agreement.signed_for_you", "agreement.cancelled", "agreement.annulled", "agreement.annulment_requested",
   "obligation.delivered", "obligation.confirmed", "obligation.disputed"].forEach(function (t) { handlers[t] = changed; });
  GieldaLive.connect(Number(script.dataset.fair), handlers, { scope: "agreements" });
})();
