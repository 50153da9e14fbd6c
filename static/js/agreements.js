/* Agreement pages follow their agreements live: when the one on the page (data-agreement), or on
   a list page any of mine, changes, the page says so and reloads. */
(function () {
  "use strict";
  var script = document.currentScript;
  var watched = script.dataset.agreement ? Number(script.dataset.agreement) : null;
  // Once the person has tapped a link or sent a form, the page they asked for is on its way: a
  // reload now would cancel it and leave them where they were (their tap lost) — and in a busy
  // hall that page can take many seconds. A change that comes meanwhile waits; should this page
  // still be here after a phone's patience (the tap led nowhere), it reloads then.
  var LEAVING_MS = 60000;
  var leaving = null, missed = false;
  function leave() {
    clearTimeout(leaving);
    leaving = setTimeout(function () {
      leaving = null;
      if (missed) { missed = false; reload(); }
    }, LEAVING_MS);
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a[href]") : null;
    if (link && !link.target && !link.hasAttribute("download") && link.getAttribute("href").charAt(0) !== "#" &&
        e.button === 0 && !(e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)) { leave(); }
  });
  window.addEventListener("submit", function (e) { if (!e.defaultPrevented) { leave(); } });  // after forms.js's question
  window.addEventListener("pageshow", function () { clearTimeout(leaving); leaving = null; missed = false; });
  function reload() {
    var bar = document.getElementById("live-notice");
    if (bar) { bar.textContent = script.dataset.notice; bar.hidden = false; }
    window.location.reload();
  }
  function changed(d) {
    if (watched !== null && d.id !== watched) { return; }
    if (leaving !== null) { missed = true; return; }
    reload();
  }
  var handlers = {};
  ["agreement.drafted", "agreement.updated", "agreement.signature_added", "agreement.awaiting_notary",
   "agreement.signed_for_you", "agreement.cancelled", "agreement.annulled", "agreement.annulment_requested",
   "obligation.delivered", "obligation.confirmed", "obligation.disputed", "obligation.feedback"].forEach(function (t) { handlers[t] = changed; });
  GieldaLive.connect(Number(script.dataset.fair), handlers, { scope: "agreements" });
})();
